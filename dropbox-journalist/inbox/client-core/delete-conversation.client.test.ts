// Mirrors the server side of the Inbox's server_tests/delete-conversation.test.ts
// (source_conversation_truncated: the items go, the source account stays).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PendingEventType, SyncStatus } from "../src/types";
import {
  INCAPABLE_ELIMINATION,
  InboxClient,
  clientItems,
  serverIndex,
  serverRecords,
  startClient,
  stopClient,
  upperBound,
} from "./support";

const TARGET = INCAPABLE_ELIMINATION;

describe.sequential("client-core: deleting a conversation", () => {
  let c: InboxClient;
  let bound = 0;
  beforeAll(async () => {
    c = await startClient("delete-conversation");
    bound = upperBound(c, TARGET);
  }, 300_000);
  afterAll(() => stopClient(c), 60_000);

  it("the truncation is delivered: no items left, the source stays on both sides", async () => {
    const items = clientItems(c, TARGET).map((i) => i.uuid);
    expect(items.length).toBeGreaterThan(0);
    c.db.addPendingSourceEvent(TARGET, PendingEventType.SourceConversationTruncated, {
      upper_bound: bound,
    });
    expect(await c.sync()).toBe(SyncStatus.UPDATED);
    expect(c.db.getPendingEvents()).toHaveLength(0);
    const server = (await serverIndex(c.token)).index;
    expect(Object.keys(server.sources)).toContain(TARGET);
    for (const u of items) {
      expect(Object.keys(server.items)).not.toContain(u);
    }
    expect(c.db.getSource(TARGET)).not.toBeNull();
    expect(clientItems(c, TARGET)).toHaveLength(0);
  });

  it("a reply after the truncation is delivered and is the only item", async () => {
    await c.db.addPendingReplySentEvent("after the truncation", TARGET, bound + 1);
    expect(await c.sync()).toBe(SyncStatus.UPDATED);
    expect(c.db.getPendingEvents()).toHaveLength(0);
    const items = clientItems(c, TARGET);
    expect(items).toHaveLength(1);
    const r = await serverRecords(c.token, [], [items[0].uuid]);
    expect(r.items[items[0].uuid]?.kind).toBe("reply");
  });
});
