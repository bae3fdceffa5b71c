// Mirrors the server side of the Inbox's server_tests/delete-source.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PendingEventType, SyncStatus } from "../src/types";
import {
  GORGEOUS_APRON,
  InboxClient,
  clientItems,
  serverIndex,
  startClient,
  stopClient,
} from "./support";

const TARGET = GORGEOUS_APRON;

describe.sequential("client-core: deleting a source", () => {
  let c: InboxClient;
  let items: string[] = [];
  beforeAll(async () => {
    c = await startClient("delete-source");
    items = clientItems(c, TARGET).map((i) => i.uuid);
  }, 300_000);
  afterAll(() => stopClient(c), 60_000);

  it("the deletion is delivered: the source and its items are gone on both sides", async () => {
    expect(c.db.addPendingSourceEvent(TARGET, PendingEventType.SourceDeleted)).not.toBeNull();
    expect(await c.sync()).toBe(SyncStatus.UPDATED);
    expect(c.db.getPendingEvents()).toHaveLength(0);
    const server = (await serverIndex(c.token)).index;
    expect(Object.keys(server.sources)).not.toContain(TARGET);
    for (const u of items) {
      expect(Object.keys(server.items)).not.toContain(u);
    }
    expect(c.db.getSource(TARGET)).toBeNull();
  });

  it("two sources remain, and a further sync agrees", async () => {
    expect(c.db.getSources().size).toBe(2);
    expect(await c.sync()).toBe(SyncStatus.NOT_MODIFIED);
    expect(Object.keys((await serverIndex(c.token)).index.sources)).toHaveLength(2);
  });
});
