// vitest configuration for OnionDrop's client-core run (see support.ts).
import { defineConfig } from "vitest/config";

export default defineConfig({
  define: {
    __PROXY_CMD__: JSON.stringify(process.env.INBOX_PROXY_CMD ?? ""),
    __PROXY_ORIGIN__: JSON.stringify((process.env.INBOX_ORIGIN ?? "") + "/"),
    __RENDERER_ONLY__: "false",
  },
  test: {
    include: ["oniondrop_client_core/*.client.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
  },
});
