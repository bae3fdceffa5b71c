// Mirrors the server side of the Inbox's server_tests/replies.test.ts: replies are encrypted by
// the client (to the source's key and the submission key) and sent as reply_sent events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SyncStatus } from "../src/types";
import {
  GORGEOUS_APRON,
  InboxClient,
  JOURNALIST,
  clientItems,
  serverIndex,
  serverRecords,
  startClient,
  stopClient,
  upperBound,
} from "./support";

const TARGET = GORGEOUS_APRON;

describe.sequential("client-core: replies", () => {
  let c: InboxClient;
  let before = 0;
  beforeAll(async () => {
    c = await startClient("replies");
    before = clientItems(c, TARGET).length;
  }, 300_000);
  afterAll(() => stopClient(c), 60_000);

  it("a reply is queued as a pending reply_sent event", async () => {
    await c.db.addPendingReplySentEvent(
      "a reply from the client-core harness",
      TARGET,
      upperBound(c, TARGET) + 1,
    );
    expect(c.db.getPendingEvents()).toHaveLength(1);
  });

  it("the sync delivers it: the server stores it as the journalist's reply", async () => {
    const pending = c.db.getPendingEvents()[0];
    expect(await c.sync()).toBe(SyncStatus.UPDATED);
    expect(c.db.getPendingEvents()).toHaveLength(0);
    const replyUuid = (pending.data as { uuid: string }).uuid;
    const r = await serverRecords(c.token, [], [replyUuid]);
    expect(r.items[replyUuid]).toMatchObject({
      kind: "reply",
      source: TARGET,
      journalist_uuid: JOURNALIST,
    });
    expect(clientItems(c, TARGET)).toHaveLength(before + 1);
    expect(Object.keys((await serverIndex(c.token)).index.items)).toContain(replyUuid);
  });

  it("two replies queued before one sync both arrive, in order", async () => {
    const first = upperBound(c, TARGET) + 1;
    await c.db.addPendingReplySentEvent("first of two", TARGET, first);
    await c.db.addPendingReplySentEvent("second of two", TARGET, first + 1);
    expect(c.db.getPendingEvents()).toHaveLength(2);
    expect(await c.sync()).toBe(SyncStatus.UPDATED);
    expect(c.db.getPendingEvents()).toHaveLength(0);
    const items = clientItems(c, TARGET);
    expect(items).toHaveLength(before + 3);
    const counts = items.map((i) => i.data.interaction_count);
    expect(new Set(counts).size).toBe(counts.length);
  });
});
