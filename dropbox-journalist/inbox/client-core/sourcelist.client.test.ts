// Mirrors the server side of the Inbox's server_tests/sourcelist.test.ts: after a sync the
// client knows which sources are unread (searching is the client's own, no server part).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SyncStatus } from "../src/types";
import {
  GORGEOUS_APRON,
  INCAPABLE_ELIMINATION,
  InboxClient,
  PRESERVATIVE_LEGISLATOR,
  startClient,
  stopClient,
} from "./support";

describe.sequential("client-core: source list", () => {
  let c: InboxClient;
  beforeAll(async () => {
    c = await startClient("sourcelist", (client) => client.login());
  }, 300_000);
  afterAll(() => stopClient(c), 60_000);

  it("syncs three sources", async () => {
    expect(await c.sync()).toBe(SyncStatus.UPDATED);
    expect(c.db.getSources().size).toBe(3);
  });

  it("preservative legislator is unread, the other two read", () => {
    expect(c.db.getSource(PRESERVATIVE_LEGISLATOR)?.data.is_seen).toBe(false);
    expect(c.db.getSource(INCAPABLE_ELIMINATION)?.data.is_seen).toBe(true);
    expect(c.db.getSource(GORGEOUS_APRON)?.data.is_seen).toBe(true);
    const sources = c.db.getSources();
    expect(sources.get(PRESERVATIVE_LEGISLATOR)?.isRead).toBe(false);
    expect(sources.get(INCAPABLE_ELIMINATION)?.isRead).toBe(true);
  });

  it("the client's own search finds a synced source by part of its codename", () => {
    const found = c.db.search("legis");
    expect(JSON.stringify(found)).toContain(PRESERVATIVE_LEGISLATOR);
  });
});
