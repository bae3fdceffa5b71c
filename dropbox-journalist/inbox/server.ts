// OnionDrop's stand-in for the Inbox server tests' server harness (app/server_tests/server.ts in
// securedrop-client, which starts SecureDrop's dev container). inbox-server-tests.sh copies this
// file over that one in a temporary checkout, at test time; the Inbox's test files and helper.ts
// are used unchanged. Same interface as the one helper.ts imports: getServerInstance(),
// stopServerInstance(), ServerInstance.origin.
// @ts-expect-error: a plain ES module of OnionDrop's, without type declarations
import { origin, startOnionDrop, stopOnionDrop } from "./oniondrop-server.mjs";

export class ServerInstance {
  private started = false;

  get origin(): string {
    if (!this.started) {
      throw new Error("Server not started. Call start() first.");
    }
    return origin();
  }

  async start(): Promise<void> {
    await startOnionDrop(process.env.VITEST_TEST_FILE ?? "inbox");
    this.started = true;
  }

  async stop(): Promise<void> {
    await stopOnionDrop();
    this.started = false;
  }
}

let globalServer: ServerInstance | null = null;

export async function getServerInstance(): Promise<ServerInstance> {
  if (!globalServer) {
    globalServer = new ServerInstance();
    await globalServer.start();
  }
  return globalServer;
}

export async function stopServerInstance(): Promise<void> {
  if (globalServer) {
    await globalServer.stop();
    globalServer = null;
  }
}
