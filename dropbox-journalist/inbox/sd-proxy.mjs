#!/usr/bin/env node
// OnionDrop's stand-in for securedrop-proxy in tests: the Inbox runs its proxy command once per
// request, writes one JSON request line ({method, path_query, headers, body?, stream, timeout})
// to its stdin, and reads the answer from stdout: for a JSON request {status, headers, body}; for a
// streamed one the raw body on stdout and {headers} on stderr. Origin from SD_PROXY_ORIGIN.
// The real proxy (Rust, securedrop-client/proxy) is used when it can be built; this stand-in lets
// the Inbox's client code run where crates cannot be fetched. Loopback origins only.
import process from "node:process";

const MAX_REQUEST_LINE = 16 * 1024 * 1024;

function fail(message) {
  process.stderr.write(JSON.stringify({ error: message }) + "\n");
  process.exit(1);
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  input += chunk;
  if (input.length > MAX_REQUEST_LINE) {
    fail("request too large");
  }
  const nl = input.indexOf("\n");
  if (nl >= 0) {
    process.stdin.pause();
    handle(input.slice(0, nl)).catch((e) => fail(String(e && e.message ? e.message : e)));
  }
});

async function handle(line) {
  const req = JSON.parse(line);
  const origin = process.env.SD_PROXY_ORIGIN || "";
  const base = new URL(origin);
  if (base.hostname !== "127.0.0.1" && base.hostname !== "localhost") {
    fail("SD_PROXY_ORIGIN must be a loopback origin in tests");
  }
  const url = new URL(req.path_query, base);
  const timeoutMs = Math.max(1, Number(req.timeout || 10)) * 1000;
  const resp = await fetch(url, {
    method: req.method,
    headers: req.headers || {},
    body: req.body === undefined || req.body === null ? undefined : req.body,
    redirect: "manual",
    signal: AbortSignal.timeout(timeoutMs),
  });
  const headers = {};
  resp.headers.forEach((v, k) => {
    headers[k.toLowerCase()] = v;
  });
  if (req.stream && resp.status < 400) {
    const body = Buffer.from(await resp.arrayBuffer());
    process.stderr.write(JSON.stringify({ headers }));
    process.stdout.write(body, () => process.exit(0));
    return;
  }
  const body = await resp.text();
  process.stdout.write(JSON.stringify({ status: resp.status, headers, body }), () =>
    process.exit(0),
  );
}
