import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const vscodeMock = fileURLToPath(new URL("./test/mocks/vscode.ts", import.meta.url));

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: { vscode: vscodeMock } },
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" },
      },
      {
        // Talks to a real `bioql serve` started by the test (the editor side is still mocked).
        resolve: { alias: { vscode: vscodeMock } },
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
