// The download the Inbox's fetch worker performs after every sync in the Electron app (its
// src/main/fetch/queue.ts: GET /api/v1/sources/<s>/<submissions|replies>/<item>/download through
// the proxy, streamed, resumed with a Range from the bytes it has, then checked against the
// "sha256:<hex>" Etag), driven with the Inbox's own proxyStreamRequest.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { proxyStreamRequest } from "../src/main/proxy";
import type { ms } from "../src/types";
import {
  INCAPABLE_ELIMINATION,
  InboxClient,
  clientItems,
  startClient,
  stopClient,
} from "./support";

const FIXTURE_ITEMS = path.join(__dirname, "..", "server_tests", "data", "items");

describe.sequential("client-core: downloads (the fetch worker's requests)", () => {
  let c: InboxClient;
  let dir = "";
  beforeAll(async () => {
    c = await startClient("download");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "inbox-downloads-"));
  }, 300_000);
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await stopClient(c);
  }, 60_000);

  async function download(kind: string, item: string, file: string, offset = 0) {
    const r = await proxyStreamRequest(
      {
        method: "GET",
        path_query: `/api/v1/sources/${INCAPABLE_ELIMINATION}/${kind === "reply" ? "replies" : "submissions"}/${item}/download`,
        headers: { Authorization: `Token ${c.token}` },
      },
      fs.createWriteStream(file, { flags: offset > 0 ? "a" : "w" }),
      offset,
      undefined,
      20_000 as ms,
    );
    return r as { complete?: boolean; sha256sum?: string; error?: unknown };
  }

  it("every item of a source downloads whole, equal to the fixture, Etag sha256 matching", async () => {
    const items = clientItems(c, INCAPABLE_ELIMINATION);
    expect(items.length).toBe(6);
    for (const i of items) {
      const file = path.join(dir, i.uuid);
      const r = await download(i.data.kind, i.uuid, file);
      expect(r.complete, JSON.stringify(r)).toBe(true);
      const got = fs.readFileSync(file);
      expect(got.equals(fs.readFileSync(path.join(FIXTURE_ITEMS, `${i.uuid}.gpg`)))).toBe(true);
      const hex = crypto.createHash("sha256").update(got).digest("hex");
      expect(r.sha256sum).toBe(`sha256:${hex}`);
    }
  });

  it("an interrupted file download resumes with a Range and ends whole", async () => {
    const fileItem = clientItems(c, INCAPABLE_ELIMINATION).find((i) => i.data.kind === "file")!;
    const whole = fs.readFileSync(path.join(FIXTURE_ITEMS, `${fileItem.uuid}.gpg`));
    const file = path.join(dir, "resumed");
    const half = Math.floor(whole.length / 2);
    fs.writeFileSync(file, whole.subarray(0, half));
    const r = await download("file", fileItem.uuid, file, half);
    expect(r.complete, JSON.stringify(r)).toBe(true);
    expect(fs.readFileSync(file).equals(whole)).toBe(true);
  });
});
