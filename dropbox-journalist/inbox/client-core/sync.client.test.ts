// Mirrors the server side of the Inbox's server_tests/sync.test.ts: an empty client logs in,
// syncs every fixture record, and a second sync changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { SyncStatus } from "../src/types";
import {
  GORGEOUS_APRON,
  INCAPABLE_ELIMINATION,
  InboxClient,
  JOURNALIST,
  serverIndex,
  startClient,
  stopClient,
} from "./support";

/** SecureDrop's versions of the same fixtures, read from the Inbox's own sync.test.ts. */
function secureDropVersions(): Record<string, string> {
  const file = path.join(__dirname, "..", "server_tests", "sync.test.ts");
  const out: Record<string, string> = {};
  for (const m of fs
    .readFileSync(file, "utf8")
    .matchAll(/"([0-9a-f-]{36})":\s*"([0-9a-f]{64})"/g)) {
    out[m[1]] = m[2];
  }
  const v = /EXPECTED_VERSION\s*=\s*"([0-9a-f]{64})"/.exec(fs.readFileSync(file, "utf8"));
  out["index"] = v ? v[1] : "";
  return out;
}

describe.sequential("client-core: sync", () => {
  let c: InboxClient;
  beforeAll(async () => {
    c = await startClient("sync", async () => {});
  }, 300_000);
  afterAll(() => stopClient(c), 60_000);

  it("a new client's database is empty", () => {
    const index = c.db.getIndex();
    expect(Object.keys(index.sources)).toHaveLength(0);
    expect(Object.keys(index.items)).toHaveLength(0);
    expect(Object.keys(index.journalists)).toHaveLength(0);
  });

  it("logs in through the proxy and gets the fixture journalist and hints", async () => {
    const t = await c.login();
    expect(t.journalist_uuid).toBe(JOURNALIST);
    expect(t.hints.sources).toBe(3);
    expect(t.hints.items).toBe(18);
  });

  it("syncs every fixture record; the client's index is the server's", async () => {
    expect(await c.sync()).toBe(SyncStatus.UPDATED);
    const server = await serverIndex(c.token);
    const index = c.db.getIndex();
    expect(index).toEqual(server.index);
    expect(Object.keys(index.sources)).toHaveLength(3);
    expect(Object.keys(index.items)).toHaveLength(18);
    expect(Object.keys(index.journalists).sort()).toEqual(
      Object.keys(server.index.journalists).sort(),
    );
    expect(c.db.getVersion()).toBe(server.etag);
    expect(c.db.getSource(INCAPABLE_ELIMINATION)?.data.journalist_designation).toBe(
      "incapable elimination",
    );
    expect(c.db.getSource(GORGEOUS_APRON)?.data.journalist_designation).toBe("gorgeous apron");
  });

  it("the records hash to the versions SecureDrop gives the same fixtures", () => {
    const sd = secureDropVersions();
    const index = c.db.getIndex();
    const ours: Record<string, string> = {
      ...index.sources,
      ...index.items,
      ...index.journalists,
    };
    const differ = Object.keys(sd).filter((k) => k !== "index" && ours[k] !== sd[k]);
    console.log(
      `versions equal to SecureDrop's: ${Object.keys(sd).length - 1 - differ.length} of ${Object.keys(sd).length - 1}; differ: ${differ.join(",")}`,
    );
    expect(differ).toEqual([]);
    expect(c.db.getVersion()).toBe(sd["index"]);
  });

  it("a second sync is answered 304 and changes nothing", async () => {
    const before = c.db.getVersion();
    expect(await c.sync()).toBe(SyncStatus.NOT_MODIFIED);
    expect(c.db.getVersion()).toBe(before);
  });
});
