// Mirrors the server side of the Inbox's server_tests/delete-item.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PendingEventType, SyncStatus } from "../src/types";
import {
  INCAPABLE_ELIMINATION,
  InboxClient,
  clientItems,
  serverIndex,
  startClient,
  stopClient,
} from "./support";

const TARGET = INCAPABLE_ELIMINATION;

describe.sequential("client-core: deleting items", () => {
  let c: InboxClient;
  beforeAll(async () => {
    c = await startClient("delete-item");
  }, 300_000);
  afterAll(() => stopClient(c), 60_000);

  it("deleting one item is delivered: gone from the server's index and the client", async () => {
    const item = clientItems(c, TARGET)[0].uuid;
    expect(c.db.addPendingItemEvent(item, PendingEventType.ItemDeleted)).not.toBeNull();
    expect(await c.sync()).toBe(SyncStatus.UPDATED);
    expect(c.db.getPendingEvents()).toHaveLength(0);
    expect(Object.keys((await serverIndex(c.token)).index.items)).not.toContain(item);
    expect(c.db.getItem(item)).toBeNull();
  });

  it("several deletions queued before one sync are all delivered", async () => {
    const items = clientItems(c, TARGET).slice(0, 2).map((i) => i.uuid);
    for (const u of items) {
      c.db.addPendingItemEvent(u, PendingEventType.ItemDeleted);
    }
    expect(await c.sync()).toBe(SyncStatus.UPDATED);
    expect(c.db.getPendingEvents()).toHaveLength(0);
    const server = Object.keys((await serverIndex(c.token)).index.items);
    for (const u of items) {
      expect(server).not.toContain(u);
      expect(c.db.getItem(u)).toBeNull();
    }
  });
});
