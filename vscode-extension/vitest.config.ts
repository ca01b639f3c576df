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
      {
        // The packaged .vsix in a real VS Code (code-server + Chromium) against a real `bioql serve`.
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          // The first run installs code-server into ~/.cache/bioql (about 3 minutes).
          hookTimeout: 600_000,
          // Steps share one editor session and run in order.
          sequence: { concurrent: false },
        },
      },
    ],
  },
});
