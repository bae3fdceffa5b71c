// Mirrors the server side of the Inbox's server_tests/starred.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PendingEventType, SyncStatus } from "../src/types";
import {
  INCAPABLE_ELIMINATION,
  InboxClient,
  serverIndex,
  serverRecords,
  startClient,
  stopClient,
} from "./support";

const TARGET = INCAPABLE_ELIMINATION;

describe.sequential("client-core: starring", () => {
  let c: InboxClient;
  let firstVersion = "";
  beforeAll(async () => {
    c = await startClient("starred");
    firstVersion = c.db.getIndex().sources[TARGET];
  }, 300_000);
  afterAll(() => stopClient(c), 60_000);

  it("a star is queued as one pending event", () => {
    expect(c.db.addPendingSourceEvent(TARGET, PendingEventType.Starred)).not.toBeNull();
    expect(c.db.getPendingEvents().map((e) => e.type)).toEqual([PendingEventType.Starred]);
  });

  it("the sync delivers it: starred on the server and on the client, nothing pending", async () => {
    expect(await c.sync()).toBe(SyncStatus.UPDATED);
    expect(c.db.getPendingEvents()).toHaveLength(0);
    const r = await serverRecords(c.token, [TARGET]);
    expect(r.sources[TARGET]?.is_starred).toBe(true);
    expect(c.db.getSource(TARGET)?.data.is_starred).toBe(true);
    expect(c.db.getIndex().sources[TARGET]).toBe((await serverIndex(c.token)).index.sources[TARGET]);
  });

  it("unstarring restores the first version on both sides", async () => {
    c.db.addPendingSourceEvent(TARGET, PendingEventType.Unstarred);
    expect(await c.sync()).toBe(SyncStatus.UPDATED);
    expect(c.db.getPendingEvents()).toHaveLength(0);
    expect(c.db.getSource(TARGET)?.data.is_starred).toBe(false);
    expect(c.db.getIndex().sources[TARGET]).toBe(firstVersion);
    expect((await serverIndex(c.token)).index.sources[TARGET]).toBe(firstVersion);
  });
});
