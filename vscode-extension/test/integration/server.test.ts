/**
 * The extension's HTTP client, and the Generate command end to end, against a real
 * `bioql serve` process (uvicorn over TCP, SQLite in a temporary BIOQL_HOME, the template
 * assistant so no model weights load). Users are created with `bioql admin create-user`.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as vs from "vscode";
import { BalanceStatus } from "../../src/balance";
import { BioqlApiError, BioqlClient } from "../../src/client";
import { generateCode } from "../../src/commands/generate";
import { CostLog } from "../../src/costLog";
import { ApiKeyStore } from "../../src/secrets";
import { Services } from "../../src/services";
import * as vscode from "../mocks/vscode";
import { failure } from "../unit/helpers";

const run = promisify(execFile);
const REPO_ROOT = resolve(__dirname, "../../..");
const BIOQL = process.env.BIOQL_BIN ?? join(REPO_ROOT, ".venv", "bin", "bioql");
const RATE_BURST = 12;

let home: string;
let url: string;
let server: ChildProcess;
let serverLog = "";
const keys: Record<"main" | "broke" | "limited" | "revoked", string> = { main: "", broke: "", limited: "", revoked: "" };

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {
    ...process.env,
    BIOQL_HOME: home,
    BIOQL_PROVIDER: "template",
    BIOQL_RATE_LIMIT_PER_MINUTE: "1",
    BIOQL_RATE_LIMIT_BURST: String(RATE_BURST),
    PYTHONUNBUFFERED: "1",
  };
  delete e.BIOQL_DATABASE_URL;
  return e;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
    s.on("error", fail);
  });
}

async function waitReady(deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (server.exitCode !== null) throw new Error(`bioql serve exited:\n${serverLog.slice(-3000)}`);
    try {
      if ((await fetch(`${url}/health`)).status < 600) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`bioql serve not ready after ${deadlineMs} ms:\n${serverLog.slice(-3000)}`);
}

async function admin(...args: string[]): Promise<any> {
  const { stdout } = await run(BIOQL, ["admin", ...args, "--json"], { env: env(), cwd: REPO_ROOT });
  return JSON.parse(stdout);
}

beforeAll(async () => {
  if (!existsSync(BIOQL)) {
    throw new Error(`${BIOQL} not found: run \`make setup\` in ${REPO_ROOT} first (or set BIOQL_BIN).`);
  }
  home = mkdtempSync(join(tmpdir(), "bioql-ext-"));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = spawn(BIOQL, ["serve", "--port", String(port), "--no-bootstrap", "--log-level", "warning"], { env: env(), cwd: REPO_ROOT });
  server.stdout?.on("data", (d) => (serverLog += d));
  server.stderr?.on("data", (d) => (serverLog += d));
  await waitReady(90_000);
  const [main, broke, limited, revoked] = await Promise.all([
    admin("create-user", "--email", "ada@example.org", "--balance", "5"),
    admin("create-user", "--email", "broke@example.org", "--balance", "0"),
    admin("create-user", "--email", "busy@example.org", "--balance", "5"),
    admin("create-user", "--email", "gone@example.org", "--balance", "5"),
  ]);
  Object.assign(keys, { main: main.api_key, broke: broke.api_key, limited: limited.api_key, revoked: revoked.api_key });
  await admin("revoke-key", revoked.api_key);
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once("exit", r));
    server.kill("SIGINT");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (server.exitCode === null) server.kill("SIGKILL");
  }
  if (home) rmSync(home, { recursive: true, force: true });
  // No key may ever appear in the server's log.
  for (const key of Object.values(keys)) if (key) expect(serverLog).not.toContain(key);
});

const client = (apiKey = keys.main) => new BioqlClient({ baseUrl: url, apiKey });

describe("BioqlClient against bioql serve", () => {
  it("generates BioQL code and reports model, timing, cost (40% markup) and the new balance", async () => {
    const answer = await client().generate({ prompt: "Create a Bell state and measure it 1000 times", include_reasoning: true });
    expect(answer.code).toContain("quantum(");
    expect(answer.reasoning.length).toBeGreaterThan(0);
    expect(answer.model).toBeTruthy();
    expect(answer.timing.total_seconds).toBeGreaterThanOrEqual(answer.timing.generation_seconds);
    expect(answer.cost?.markup_percent).toBe(40);
    expect(answer.cost?.margin_percent).toBeCloseTo(28.57, 2);
    expect(answer.cost!.user_cost_usd).toBeCloseTo(answer.cost!.base_cost_usd * 1.4, 6);
    expect(answer.user?.email).toBe("ada@example.org");
    expect(answer.user!.balance).toBeCloseTo(5 - answer.cost!.user_cost_usd, 9);
  });

  it("repairs broken code with a list of changes", async () => {
    const answer = await client().fix('from bioql import quantum\nquantum("Create a Bell state"');
    expect(answer.changes.length).toBeGreaterThan(0);
    expect(answer.code).toContain('quantum("Create a Bell state")');
  });

  it("completes at the cursor with the field names the provider sends", async () => {
    const answer = await client().complete({ prefix: "from bioql import quantum\nr = quantum(", suffix: "" });
    // The template assistant finishes an open quantum( call with a whole description.
    expect(answer.insertion).toMatch(/^"[^"]+".*\)$/);
    expect(answer.model).toBeTruthy();
    expect(answer.cost?.user_cost_usd).toBeGreaterThanOrEqual(0);
  });

  it("charges a retried request (same Idempotency-Key) once", async () => {
    const before = await client().account();
    const first = await client().generate({ prompt: "Create a 3-qubit GHZ state", include_reasoning: false }, undefined, "retry-once-1");
    const again = await client().generate({ prompt: "Create a 3-qubit GHZ state", include_reasoning: false }, undefined, "retry-once-1");
    const after = await client().account();
    expect(again.code).toBe(first.code);
    expect(after.balance).toBeCloseTo(before.balance - first.cost!.user_cost_usd, 9);
    expect(after.transactions.length).toBe(before.transactions.length + 1);
  });

  it("reads the account: balance and recent transactions, newest first", async () => {
    const account = await client().account();
    expect(account.email).toBe("ada@example.org");
    expect(account.balance).toBeLessThan(5);
    expect(account.transactions.at(-1)).toMatchObject({ kind: "credit" });
    expect(account.transactions[0]).toMatchObject({ kind: "charge" });
  });

  it("401 for a revoked key", async () => {
    const err = await failure(client(keys.revoked).account());
    expect(err.kind).toBe("unauthorized");
    expect(err.status).toBe(401);
    expect(err.message.length).toBeGreaterThan(10);
  });

  it("402 when the balance is too low, and nothing is charged", async () => {
    const err = await failure(client(keys.broke).generate({ prompt: "Create a Bell state", include_reasoning: true }));
    expect(err.kind).toBe("payment");
    expect(err.status).toBe(402);
    expect((await client(keys.broke).account()).balance).toBe(0);
  });

  it("422 with a sentence for a prompt the server rejects", async () => {
    const err = await failure(client().generate({ prompt: "", include_reasoning: true }));
    expect(err.kind).toBe("bad_input");
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/prompt/i);
  });

  it("429 with Retry-After once a key exceeds its rate limit", async () => {
    const c = client(keys.limited);
    let limited: BioqlApiError | undefined;
    for (let i = 0; i < RATE_BURST + 3 && !limited; i++) {
      try {
        await c.account();
      } catch (error) {
        limited = error as BioqlApiError;
      }
    }
    expect(limited?.kind).toBe("rate_limited");
    expect(limited?.status).toBe(429);
    expect(limited?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // The server's sentence names the wait; the message says it once.
    expect(limited?.message).toMatch(/retry in \d+(\.\d+)? s\.$/);
    expect(limited?.message.match(/\d+(\.\d+)? s\b/g)).toHaveLength(1);
  });

  it("a stopped server is a network error naming the URL", async () => {
    const port = await freePort();
    const err = await failure(new BioqlClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: keys.main }).account());
    expect(err.kind).toBe("network");
    expect(err.message).toContain(`http://127.0.0.1:${port}`);
  });
});

describe("Generate Code end to end (mocked editor, real server)", () => {
  it("inserts the server's code and reasoning at the cursor and logs the cost", async () => {
    vscode.resetVscodeMock();
    vscode.setSetting("bioql.serverUrl", url);
    const secrets = new vscode.FakeSecretStorage();
    await secrets.store("bioql.apiKey", keys.main);
    const channel = new vscode.FakeOutputChannel("BioQL");
    const status = new vscode.FakeStatusBarItem();
    const services = new Services(
      new ApiKeyStore(secrets as unknown as vs.SecretStorage),
      new CostLog(channel),
      new BalanceStatus(status as unknown as vs.StatusBarItem),
    );
    const editor = vscode.openEditor("# my experiment\n|");
    vscode.window.showInputBox.mockResolvedValueOnce("Create a Bell state");

    await generateCode(services);

    const text = editor.document.text;
    expect(text.startsWith("# my experiment\n# ")).toBe(true); // the reasoning comment block
    expect(text).toContain("from bioql import quantum");
    expect(channel.lines[0]).toMatch(/generate +model=\S+ +time=\d+\.\d\ds .* cost=\$0\.\d+ \(base \$0\.\d+ \+ 40% markup\) +balance=\$4\.\d+/);
    expect(status.text).toMatch(/^\$\(beaker\) BioQL \$4\.\d+$/);
    expect(vscode.window.showErrorMessage).not.toHaveBeenCalled();
  });
});

