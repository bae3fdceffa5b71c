// Mirrors the server side of the Inbox's server_tests/seen.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SyncStatus } from "../src/types";
import {
  InboxClient,
  JOURNALIST,
  PRESERVATIVE_LEGISLATOR,
  clientItems,
  serverRecords,
  startClient,
  stopClient,
  upperBound,
} from "./support";

const TARGET = PRESERVATIVE_LEGISLATOR;

describe.sequential("client-core: conversation seen", () => {
  let c: InboxClient;
  beforeAll(async () => {
    c = await startClient("seen");
  }, 300_000);
  afterAll(() => stopClient(c), 60_000);

  it("viewing an unread conversation queues one seen event", () => {
    expect(c.db.addPendingSourceConversationSeen(TARGET, upperBound(c, TARGET))).not.toBeNull();
    expect(c.db.getPendingEvents()).toHaveLength(1);
  });

  it("the sync delivers it: the server records the journalist on every item", async () => {
    expect(await c.sync()).toBe(SyncStatus.UPDATED);
    expect(c.db.getPendingEvents()).toHaveLength(0);
    const uuids = clientItems(c, TARGET).map((i) => i.uuid);
    const r = await serverRecords(c.token, [TARGET], uuids);
    for (const u of uuids) {
      expect(r.items[u]?.seen_by).toContain(JOURNALIST);
    }
    expect(r.sources[TARGET]?.is_seen).toBe(true);
    expect(c.db.getSource(TARGET)?.data.is_seen).toBe(true);
  });

  it("viewing it again queues nothing", () => {
    expect(c.db.addPendingSourceConversationSeen(TARGET, upperBound(c, TARGET))).toBeNull();
    expect(c.db.getPendingEvents()).toHaveLength(0);
  });
});
