// Mirrors the server side of the Inbox's server_tests/multiuser.test.ts: one installation, two
// journalists in turn (drafts are the client's own, no server part).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SyncStatus } from "../src/types";
import {
  DELLSBERG,
  INCAPABLE_ELIMINATION,
  InboxClient,
  JOURNALIST,
  serverRecords,
  startClient,
  stopClient,
  upperBound,
} from "./support";

const TARGET = INCAPABLE_ELIMINATION;

describe.sequential("client-core: two journalists on one installation", () => {
  let c: InboxClient;
  let replyUuid = "";
  beforeAll(async () => {
    c = await startClient("multiuser");
  }, 300_000);
  afterAll(() => stopClient(c), 60_000);

  it("user 1 sends a reply and syncs it", async () => {
    await c.db.addPendingReplySentEvent("from user 1", TARGET, upperBound(c, TARGET) + 1);
    replyUuid = (c.db.getPendingEvents()[0].data as { uuid: string }).uuid;
    expect(await c.sync()).toBe(SyncStatus.UPDATED);
    expect(c.db.getItem(replyUuid)).not.toBeNull();
  });

  it("user 1 logs out; the token no longer works", async () => {
    const token = c.token;
    expect(await c.logout()).toBe(200);
    const r = await fetch(`${process.env.INBOX_ORIGIN}/api/v2/index`, {
      headers: { Authorization: `Token ${token}` },
    });
    expect(r.status).toBe(403);
  });

  it("user 2 logs in and syncs; user 1's reply is there, attributed to user 1", async () => {
    const t = await c.login("dellsberg");
    expect(t.journalist_uuid).toBe(DELLSBERG);
    await c.sync();
    expect(c.db.getItem(replyUuid)).not.toBeNull();
    const r = await serverRecords(c.token, [], [replyUuid]);
    expect(r.items[replyUuid]?.journalist_uuid).toBe(JOURNALIST);
    expect(c.db.getPendingEvents()).toHaveLength(0);
  });
});
