/** The shipped artifact: the esbuild bundle loads in a CommonJS host and activates. */
import { mkdtempSync, rmSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { afterAll, expect, it } from "vitest";
import { buildOptions } from "../../esbuild.mjs";
import * as vscode from "../mocks/vscode";

const dir = mkdtempSync(join(tmpdir(), "bioql-bundle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("bundles to one CommonJS file that needs only `vscode` at run time and activates", async () => {
  vscode.resetVscodeMock();
  const outfile = join(dir, "extension.js");
  const result = await esbuild.build({ ...buildOptions, outfile, minify: true, logLevel: "silent", metafile: true });
  const external = Object.values(result.metafile!.outputs)
    .flatMap((o) => o.imports)
    .filter((i) => i.external)
    .map((i) => i.path);
  expect(new Set(external)).toEqual(new Set(["vscode", "node:crypto"]));

  // Resolve `vscode` to the mock the way the extension host provides it.
  const load = (Module as unknown as { _load: (...args: unknown[]) => unknown })._load;
  (Module as unknown as { _load: unknown })._load = (request: string, ...rest: unknown[]) =>
    request === "vscode" ? vscode : load(request, ...rest);
  try {
    const extension = createRequire(import.meta.url)(outfile);
    const context = { subscriptions: [] as unknown[], secrets: new vscode.FakeSecretStorage(), extensionUri: vscode.Uri.file("/ext") };
    await extension.activate(context);
    expect(vscode.commands.registered()).toContain("bioql.generateCode");
    expect(context.subscriptions.length).toBeGreaterThan(10);
  } finally {
    (Module as unknown as { _load: unknown })._load = load;
  }
});
