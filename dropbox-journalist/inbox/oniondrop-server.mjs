// Starts and stops the PACKAGED OnionDrop server (dropbox-server/target/quarkus-app) on a fresh
// copy of the data directory that InboxFixturesTest prepared from the Inbox's data.yaml, so every
// Inbox test file starts from the same fixtures, as SecureDrop's dev container gives them.
//
// Written for OnionDrop; no SecureDrop code. Configuration comes from the environment that
// inbox-server-tests.sh sets:
//   ONIONDROP_JAR            the packaged server's quarkus-run.jar
//   ONIONDROP_PRISTINE_DATA  the prepared data directory (never modified)
//   ONIONDROP_SUBMISSION_KEY the submission public key (SecureDrop's test key, exported)
//   ONIONDROP_JOURNALIST_PORT, ONIONDROP_SOURCE_PORT  free ports chosen by the script
//   ONIONDROP_RUN_DIR        where fresh data directories and logs go
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const READY_TIMEOUT_MS = 180_000;
const READY_POLL_MS = 500;
const STOP_TIMEOUT_MS = 30_000;

function need(name) {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set (run dropbox-journalist/inbox-server-tests.sh)`);
  }
  return v;
}

let running = null;
let starts = 0;

export function origin() {
  return `http://127.0.0.1:${need("ONIONDROP_JOURNALIST_PORT")}`;
}

export async function startOnionDrop(label = "server") {
  if (running) {
    return origin();
  }
  const runDir = need("ONIONDROP_RUN_DIR");
  const data = path.join(runDir, `data-${process.pid}-${++starts}`);
  fs.rmSync(data, { recursive: true, force: true });
  fs.cpSync(need("ONIONDROP_PRISTINE_DATA"), data, { recursive: true });
  const log = path.join(runDir, `${label.replace(/[^A-Za-z0-9_.-]/g, "_")}-${starts}.log`);
  const out = fs.openSync(log, "w");
  const child = spawn(
    "java",
    [
      "-Xmx512m",
      `-Doniondrop.data-dir=${data}`,
      `-Doniondrop.submission-key=${need("ONIONDROP_SUBMISSION_KEY")}`,
      "-Doniondrop.onion.backend=none",
      // A loaded 2-core machine can take longer than the default 5 s to open the H2 file.
      "-Dquarkus.datasource.jdbc.acquisition-timeout=120S",
      "-Doniondrop.server.create-first-admin=false",
      `-Dquarkus.http.port=${need("ONIONDROP_SOURCE_PORT")}`,
      `-Doniondrop.server.journalist-port=${need("ONIONDROP_JOURNALIST_PORT")}`,
      "-jar",
      need("ONIONDROP_JAR"),
    ],
    { stdio: ["ignore", out, out] },
  );
  let exited = null;
  child.on("exit", (code, signal) => {
    exited = { code, signal };
  });
  running = { child, data, log };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) {
      running = null;
      throw new Error(`OnionDrop exited during start (${JSON.stringify(exited)}); see ${log}`);
    }
    try {
      const r = await fetch(`${origin()}/api/v2/`, { signal: AbortSignal.timeout(5000) });
      if (r.status === 200 || r.status === 401 || r.status === 403) {
        return origin();
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, READY_POLL_MS));
  }
  await stopOnionDrop();
  throw new Error(`OnionDrop did not become ready in ${READY_TIMEOUT_MS} ms; see ${log}`);
}

export async function stopOnionDrop() {
  if (!running) {
    return;
  }
  const { child, data } = running;
  running = null;
  if (child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await gone;
    clearTimeout(timer);
  }
  fs.rmSync(data, { recursive: true, force: true });
}
