// OnionDrop's harness for the SecureDrop Inbox's own client code (securedrop-client app/src/main:
// proxy.ts, sync/index.ts, database, datastore, crypto), run in Node against the PACKAGED OnionDrop
// server loaded with the Inbox's server-test fixtures. inbox-server-tests.sh copies this directory
// into a temporary checkout of the client (so "../src/..." resolves to the client's sources, used
// unchanged) and runs it with vitest. Written for OnionDrop; nothing here is SecureDrop's.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { TOTP } from "otpauth";
import { Crypto } from "../src/main/crypto";
import { Storage } from "../src/main/storage";
import { Datastore } from "../src/main/datastore";
import { proxyJSONRequest } from "../src/main/proxy";
import { syncMetadata } from "../src/main/sync";
import { API_MINOR_VERSION, TokenResponseSchema } from "../src/schemas";
import type { SyncStatus, ms } from "../src/types";
// @ts-expect-error: OnionDrop's plain ES module, no type declarations
import { origin, startOnionDrop, stopOnionDrop } from "./oniondrop-server.mjs";

export { startOnionDrop, stopOnionDrop };

/** The fixtures' credentials (data.yaml gives every journalist the same two). */
const FIXTURE_PASSPHRASE = "correct horse battery staple profanity oil chewy";
const FIXTURE_TOTP_SECRET = "JHCOGO7VCER3EJ4L";

export const JOURNALIST = "be726875-1290-49d4-922d-2fc0901c9266";
export const DELLSBERG = "72eb04dc-7596-4bc0-a9b1-a0f5648f04f0";
export const NBLY = "e32be48a-67b9-4516-834a-69fbe0f14d10";
export const INCAPABLE_ELIMINATION = "60a49b24-1a75-4daf-b0fa-125c1ce0d723";
export const GORGEOUS_APRON = "6d3a8b24-a7ec-4c8e-b646-36782b52d77e";
export const PRESERVATIVE_LEGISLATOR = "10e66c23-c687-40e2-b71c-2ce063fd50fe";

let crypto: Crypto | null = null;

export function clientCrypto(): Crypto {
  if (!crypto) {
    crypto = Crypto.initialize({
      isQubes: false,
      gpgHomedir: process.env.INBOX_GNUPGHOME,
      submissionKeyFingerprint: process.env.INBOX_SUBMISSION_FPR ?? "",
    });
  }
  return crypto;
}

const LOGIN_ATTEMPTS = 3;

/** OnionDrop refuses a TOTP step at or before the last one accepted: one step per login. */
const lastStep = new Map<string, number>();

async function totpCode(username: string): Promise<string> {
  for (;;) {
    const now = Math.floor(Date.now() / 30_000);
    const step = Math.max(now, (lastStep.get(username) ?? -1) + 1);
    if (step <= now + 1) {
      lastStep.set(username, step);
      return new TOTP({ secret: FIXTURE_TOTP_SECRET }).generate({
        timestamp: step * 30_000,
      });
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** One Inbox installation: its own database directory, logged in through the proxy. */
export class InboxClient {
  readonly dir: string;
  db: Datastore;
  token = "";
  journalistUuid = "";
  hintedRecords = 0;

  constructor(dir?: string) {
    this.dir = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "inbox-client-"));
    this.db = new Datastore(clientCrypto(), new Storage(), this.dir);
  }

  /**
   * The login the Inbox's main process performs (POST /api/v1/token through the proxy, 30 s).
   * Tried up to three times, as the Inbox's own test helper does: on a loaded machine the first
   * Argon2id verification (64 MiB, t=4) of a cold JVM can outlast the Inbox's 30 s.
   */
  async login(username = "journalist") {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.loginOnce(username);
      } catch (e) {
        if (attempt >= LOGIN_ATTEMPTS || !String(e).includes("terminated with signal")) {
          throw e;
        }
        console.warn(`login ${username}: attempt ${attempt} timed out, retrying`);
      }
    }
  }

  private async loginOnce(username: string) {
    const r = await proxyJSONRequest(
      {
        method: "POST",
        path_query: "/api/v1/token",
        stream: false,
        body: JSON.stringify({
          username,
          passphrase: FIXTURE_PASSPHRASE,
          one_time_code: await totpCode(username),
        }),
        headers: { Prefer: `securedrop=${API_MINOR_VERSION}` },
      },
      undefined,
      30_000 as ms,
    );
    if (r.status !== 200) {
      throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.data)}`);
    }
    const t = TokenResponseSchema.parse(r.data);
    this.token = t.token;
    this.journalistUuid = t.journalist_uuid;
    this.hintedRecords = t.hints.sources + t.hints.items;
    return t;
  }

  /** The Inbox's own sync (syncMetadata), with the token this client holds. */
  sync(): Promise<SyncStatus> {
    return syncMetadata(this.db, this.token, this.hintedRecords);
  }

  async logout(): Promise<number> {
    const r = await proxyJSONRequest({
      method: "POST",
      path_query: "/api/v1/logout",
      stream: false,
      headers: {
        Accept: "application/json",
        "Content-Type": "application/json",
        Authorization: `Token ${this.token}`,
      },
    });
    this.token = "";
    return r.status;
  }

  close() {
    this.db.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** What most files do with a fresh client before their tests: log in (as "journalist") and sync. */
export async function loginAndSync(c: InboxClient): Promise<void> {
  await c.login();
  await c.sync();
}

/**
 * The setup every client-core file shares (in its beforeAll): starts OnionDrop on the named
 * fixture state and opens a fresh Inbox client, made ready by `ready` (log in and sync unless
 * told otherwise). A client whose `ready` fails is closed before the error goes on.
 */
export async function startClient(
  fixture: string,
  ready: (c: InboxClient) => Promise<unknown> = loginAndSync,
): Promise<InboxClient> {
  await startOnionDrop(fixture);
  const c = new InboxClient();
  try {
    await ready(c);
  } catch (e) {
    c.close();
    throw e;
  }
  return c;
}

/** The matching teardown (in afterAll): closes the client if any, stops OnionDrop. */
export async function stopClient(c: InboxClient | undefined): Promise<void> {
  c?.close();
  await stopOnionDrop();
}

/** What the server holds, asked directly (not through the client under test). */
export async function serverIndex(token: string) {
  const r = await fetch(`${origin()}/api/v2/index`, {
    headers: { Authorization: `Token ${token}` },
  });
  return {
    status: r.status,
    etag: (r.headers.get("etag") ?? "").replaceAll('"', ""),
    index: (await r.json()) as {
      sources: Record<string, string>;
      items: Record<string, string>;
      journalists: Record<string, string>;
    },
  };
}

export async function serverRecords(
  token: string,
  sources: string[],
  items: string[] = [],
): Promise<{
  sources: Record<string, Record<string, unknown> | null>;
  items: Record<string, Record<string, unknown> | null>;
}> {
  const r = await fetch(`${origin()}/api/v2/data`, {
    method: "POST",
    headers: {
      Authorization: `Token ${token}`,
      "Content-Type": "application/json",
    },
    body: JSON.stringify({ sources, items, journalists: [], events: [] }),
  });
  if (r.status !== 200) {
    throw new Error(`POST /api/v2/data: ${r.status}`);
  }
  return await r.json();
}

/** Items of a source the client holds. */
export function clientItems(c: InboxClient, sourceUuid: string) {
  return c.db.getSourceWithItems(sourceUuid, { limit: "all" }).items;
}

/** Highest interaction count among a source's items on the client (the truncation bound). */
export function upperBound(c: InboxClient, sourceUuid: string): number {
  return Math.max(0, ...clientItems(c, sourceUuid).map((i) => i.data.interaction_count));
}
