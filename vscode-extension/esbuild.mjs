// Bundles src/extension.ts (and cockatiel) into one CommonJS file for the extension host.
import * as esbuild from "esbuild";
import { pathToFileURL } from "node:url";

/** @type {import("esbuild").BuildOptions} */
export const buildOptions = {
  entryPoints: ["src/extension.ts"],
  bundle: true,
  outfile: "dist/extension.js",
  format: "cjs",
  platform: "node",
  target: "node20",
  external: ["vscode"],
  logLevel: "info",
};

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const production = process.argv.includes("--production");
  const options = { ...buildOptions, sourcemap: !production, minify: production };
  if (process.argv.includes("--watch")) {
    await (await esbuild.context(options)).watch();
  } else {
    await esbuild.build(options);
  }
}
