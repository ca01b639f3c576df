/**
 * The packaged extension in a real VS Code (code-server 4.139 = VS Code 1.139 in headless
 * Chromium) against a real `bioql serve`, used as a person would: through the command palette,
 * the editor, the status bar, notifications and chat. The steps share one session and run in
 * order; each saves a screenshot in the folder printed at the start.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BioqlServer, CodeServer, ensureCodeServer, launchChromium, packagedVsix, packageProbe, type Browser } from "./harness";
import { until, Workbench } from "./workbench";

const IMPORT = "from bioql import quantum";
const FILES: Record<string, string> = {
  "generate.py": "# Experiments\n",
  "broken.py": `${IMPORT}\n\nresult = quantum("Create a Bell state", shot=100)\nprint(result)\n`,
  "complete.py": `${IMPORT}\n# Create a Bell state\n`,
  "chat.py": `${IMPORT}\n\nprint("before")`,
  "chatfix.py": `result = quantum("Create a GHZ state on 3 qubits", shots=500)\nprint(result)\n`,
  "explain.py": `${IMPORT}\n\nbell = quantum("Create a Bell state", shots=100)\nghz = quantum("Create a 3-qubit GHZ state", shots=100)\n`,
  "limited.py": "# Rate limits\n",
};
/** The second server's limit: one request in its bucket, refilled every 60 / LIMIT_PER_MINUTE s. */
const LIMIT_PER_MINUTE = 10;

let server: BioqlServer;
/** The same database behind a second `bioql serve` with a tight rate limit (the 429 step). */
let limited: BioqlServer;
let codeServer: CodeServer;
let browser: Browser;
let ui: Workbench;
let key = "";
/** Every key handed out, none of which may appear in the server log. */
const keys: string[] = [];

beforeAll(async () => {
  const screenshots = process.env.BIOQL_E2E_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), "bioql-e2e-screenshots-"));
  mkdirSync(screenshots, { recursive: true });
  console.log(`real-editor screenshots: ${screenshots}`);

  await ensureCodeServer((line) => console.log(line));
  server = new BioqlServer(mkdtempSync(join(tmpdir(), "bioql-e2e-home-")));
  await server.start();
  key = (await server.admin("create-user", "--email", "ada@example.org", "--balance", "10")).api_key;
  keys.push(key);

  codeServer = new CodeServer({
    "bioql.serverUrl": server.url,
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "telemetry.telemetryLevel": "off",
    "remote.autoForwardPorts": false,
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    // Nothing but BioQL offers suggestions, so what appears is the extension's.
    "editor.quickSuggestions": { other: false, comments: false, strings: false },
    "editor.suggestOnTriggerCharacters": false,
    "editor.wordBasedSuggestions": "off",
    "editor.inlineSuggest.enabled": true,
  });
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(codeServer.workspace, name), text);
  // Started after the first server has created the database, while code-server gets ready.
  limited = new BioqlServer(
    server.home,
    {
      BIOQL_RATE_LIMIT_PER_MINUTE: String(LIMIT_PER_MINUTE),
      BIOQL_RATE_LIMIT_BURST: "1",
      BIOQL_ASSISTANT_WORKERS: "1",
      BIOQL_RUN_WORKERS: "1",
    },
    "info", // one line per request (method, route, status; never the key): the step waits for one
  );
  const limitedStarted = limited.start();
  await codeServer.install(packagedVsix());
  await codeServer.install(await packageProbe(codeServer.root));
  await codeServer.start();
  await limitedStarted;

  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(codeServer.url);
  ui = new Workbench(page, codeServer.workspace, screenshots);
  // The extension is active once its status-bar item asks for a key.
  await until(() => ui.statusText(), (t) => t.includes("set API key"), "BioQL status-bar item", 90_000);
});

afterEach(async ({ task }) => {
  if (task.result?.state !== "fail") return;
  await ui?.shot(`FAILED-${task.name.slice(0, 40).replace(/\W+/g, "-")}`);
  console.log(`bioql serve's log, last lines:\n${server?.log.slice(-3000)}`);
  console.log(`the rate-limited bioql serve's log, last lines:\n${limited?.log.slice(-2000)}`);
});

afterAll(async () => {
  await browser?.close();
  await codeServer?.stop();
  await limited?.stop();
  await server?.stop();
  if (server) rmSync(server.home, { recursive: true, force: true });
  // No key may ever appear in a server's log.
  for (const k of keys) {
    expect(server?.log ?? "").not.toContain(k);
    expect(limited?.log ?? "").not.toContain(k);
  }
});

describe("the BioQL extension in VS Code 1.139", () => {
  it("Set API Key stores the key and the status bar shows the balance", async () => {
    await ui.command("BioQL: Set API Key");
    await ui.answerInput(key);
    expect(await until(() => ui.statusText(), (t) => t.includes("$10.00"), "balance after Set API Key")).toContain("BioQL $10.00");
    await ui.shot("api-key-set");
    await ui.clearNotifications();
  });

  it("Generate Code inserts the program at the cursor, and the balance drops by the request's cost", async () => {
    const before = await ui.balance();
    await ui.open("generate.py");
    await ui.page.keyboard.press("Control+End");
    await ui.command("BioQL: Generate Code");
    await ui.answerInput("Create a 3-qubit GHZ state and measure it 2000 times");
    await until(() => ui.editor().innerText(), (t) => t.includes("quantum("), "generated code in the editor");
    // How the service read the request, in the status bar.
    await ui.page.locator(".statusbar").getByText(/BioQL: Interpreted as: .*GHZ/).waitFor();
    await ui.shot("generate-code");

    const text = await ui.saveChanged("generate.py", FILES["generate.py"]);
    expect(text.startsWith("# Experiments\n# ")).toBe(true); // the reasoning as comments, below the user's line
    expect(text).toContain(IMPORT);
    expect(text).toMatch(/quantum\("[^"]*GHZ[^"]*"[^)]*shots=2000/);
    const after = await until(() => ui.balance(), (b) => b < before, "balance after Generate Code");
    expect(after).toBeGreaterThan(before - 0.01);
  });

  it("the Output log shows the request's non-zero cost, the balance as the status bar does, and the reading", async () => {
    await ui.command("BioQL: Show Request and Cost Log");
    const log = ui.page.locator(".part.panel .monaco-editor .view-lines").first();
    // One space for any run of whitespace: the panel wraps long lines and renders spaces as nbsp.
    const read = async () => (await log.innerText()).replace(/\s+/g, " ");
    const entry = await until(read, (t) => t.includes("generate") && t.includes("Interpreted as"), "BioQL Output log");
    // A sub-cent cost keeps its digits (it used to print cost=$0.00).
    const match = /generate +model=\S+ .*?cost=\$0\.0*[1-9]\d* \(base \$0\.\d+ \+ 40(?:\.0)?% markup\) +balance=(\$\d+\.\d+)/.exec(entry);
    expect(match, entry).not.toBeNull();
    expect(await ui.statusText()).toContain(`BioQL ${match![1]}`);
    expect(entry).toMatch(/Interpreted as: .*GHZ/);
    await ui.shot("output-log");
    await ui.command("View: Hide Panel");
  });

  it("Fix Code shows a diff, and Apply Fix changes the file", async () => {
    await ui.open("broken.py");
    await ui.command("BioQL: Fix Code");
    const proposal = ui.toasts().filter({ hasText: "BioQL proposes" });
    await proposal.waitFor({ timeout: 30_000 });
    await ui.page.locator(".monaco-diff-editor").first().waitFor({ timeout: 30_000 });
    await ui.shot("fix-diff");

    await proposal.getByRole("button", { name: "Apply Fix" }).click();
    await ui.page.locator(".tab").filter({ hasText: "BioQL fix" }).waitFor({ state: "detached", timeout: 30_000 });
    await ui.open("broken.py");
    const text = await ui.saveChanged("broken.py", FILES["broken.py"]);
    expect(text).toContain('quantum("Create a Bell state", shots=100)');
    expect(text).not.toContain("shot=");
    await ui.shot("fix-applied");
  });

  it("inline completion shows ghost text on an empty line and Tab accepts it", async () => {
    await ui.open("complete.py");
    await ui.page.keyboard.press("Control+End"); // the empty line under the comment
    await ui.command("Trigger Inline Suggestion");
    const ghost = ui.page.locator(".part.editor .ghost-text-decoration, .part.editor .ghost-text").first();
    await ghost.waitFor({ timeout: 30_000 });
    await ui.shot("inline-ghost-text");

    await ui.page.keyboard.press("Tab");
    await ghost.waitFor({ state: "detached", timeout: 30_000 });
    const text = await ui.saveChanged("complete.py", FILES["complete.py"]);
    expect(text).toMatch(/^from bioql import quantum\n# Create a Bell state\nresult = quantum\("[^"]*Bell[^"]*"[^\n]*\)\nprint\(result\)$/);
    await ui.shot("inline-accepted");
  });

  it("@bioql /generate answers with BioQL selected as the model (no Copilot), and Insert goes on a new line without a second import", async () => {
    await ui.open("chat.py");
    await ui.page.keyboard.press("Control+End"); // after print("before"), not on an empty line
    await ui.chatInput().click();
    // The model picker offers BioQL, not a Copilot sign-in.
    await ui.page.locator(".part.auxiliarybar .interactive-input-part").getByText("BioQL", { exact: true }).waitFor({ timeout: 30_000 });
    await ui.page.keyboard.type("@bioql /generate a Bell state", { delay: 20 });
    await ui.page.keyboard.press("Enter");
    const insert = ui.lastChatResponse().getByRole("link", { name: "Insert" });
    await insert.waitFor({ timeout: 60_000 });
    // The code block is a read-only editor inside the answer.
    await until(() => ui.lastChatResponse().locator(".monaco-editor .view-lines").first().innerText(), (t) => t.includes("quantum("), "code block in the answer");
    const answer = await ui.lastChatResponse().innerText();
    expect(answer).toMatch(/Interpreted as: /);
    expect(answer).toMatch(/· \$0\.0*[1-9]\d* · balance \$\d+\.\d+/); // the cost, non-zero
    await ui.shot("chat-generate");

    await insert.click();
    await until(() => ui.editor().innerText(), (t) => t.includes("print(result)"), "code inserted from chat");
    const text = await ui.saveChanged("chat.py", FILES["chat.py"]);
    expect(text.split(IMPORT)).toHaveLength(2); // still one import
    expect(text).toMatch(/^from bioql import quantum\n\nprint\("before"\)\nresult = quantum\("[^"]*Bell[^"]*"[^\n]*\)\nprint\(result\)$/);
    await ui.shot("chat-inserted");
  });

  it("@bioql /fix lists the changes with Review as Diff; the diff's Apply Fix changes the file", async () => {
    await ui.open("chatfix.py");
    const before = await ui.balance();
    const reply = await ui.ask("@bioql /fix this file");
    const review = reply.getByRole("link", { name: "Review as Diff" });
    await review.waitFor({ timeout: 60_000 });
    const answer = await reply.innerText();
    expect(answer).toMatch(/Added the missing import 'from bioql import quantum'/);
    expect(answer).toMatch(/· \$0\.0*[1-9]\d* · balance \$\d+\.\d+/);
    await until(() => ui.balance(), (b) => b < before, "balance after /fix");
    await ui.shot("chat-fix");

    await review.click();
    const proposal = ui.toasts().filter({ hasText: "BioQL proposes" });
    await proposal.waitFor({ timeout: 30_000 });
    await ui.page.locator(".monaco-diff-editor").first().waitFor({ timeout: 30_000 });
    await ui.shot("chat-fix-diff");

    await proposal.getByRole("button", { name: "Apply Fix" }).click();
    await ui.page.locator(".tab").filter({ hasText: "BioQL fix" }).waitFor({ state: "detached", timeout: 30_000 });
    await ui.open("chatfix.py");
    const text = await ui.saveChanged("chatfix.py", FILES["chatfix.py"]);
    expect(text).toBe(`${IMPORT}\n\n${FILES["chatfix.py"]}`.replace(/\n\n\n+/g, "\n\n"));
    await ui.shot("chat-fix-applied");
  });

  it("@bioql /explain answers a question as a question, and explains the selected program call by call with the cost", async () => {
    // Nothing selected: the question is answered, not the open file's calls.
    await ui.open("explain.py");
    const question = await ui.ask("@bioql /explain what is a GHZ state?");
    await question.getByRole("link", { name: "Insert" }).waitFor({ timeout: 60_000 });
    const told = await question.innerText();
    expect(told).toMatch(/GHZ/);
    expect(told).not.toContain('quantum("Create a Bell state")');
    await ui.shot("chat-explain-question");

    // The whole program selected: one explanation per quantum() call, both billed, summed below.
    await ui.open("explain.py");
    await ui.page.keyboard.press("Control+a");
    const before = await ui.balance();
    const reply = await ui.ask("@bioql /explain what does this do?");
    const ghz = reply.getByText('quantum("Create a 3-qubit GHZ state")');
    await ghz.waitFor({ timeout: 60_000 });
    const answer = await reply.innerText();
    expect(answer).toContain('quantum("Create a Bell state")');
    expect(answer).toMatch(/· \$0\.0*[1-9]\d* · balance \$\d+\.\d+/);
    await until(() => ui.balance(), (b) => b < before, "balance after /explain");
    await ui.shot("chat-explain-selection");
  });

  it("another extension gets BioQL code from the BioQL chat model through vscode.lm, billed like any request", async () => {
    const before = await ui.balance();
    await ui.command("BioQL Probe: Ask the BioQL Model");
    // VS Code asks once whether the probe may use BioQL's models.
    const allow = ui.page.locator(".monaco-dialog-box").getByRole("button", { name: "Allow" });
    const probe = join(codeServer.workspace, "probe.md");
    const answer = await until(
      async () => {
        if (await allow.isVisible()) await allow.click();
        return existsSync(probe) ? readFileSync(probe, "utf8") : "";
      },
      (text) => text.length > 0,
      "the probe's answer",
      60_000,
    );
    expect(answer).toMatch(/^model: BioQL \(bioql\)/);
    expect(answer).toMatch(/```python\nfrom bioql import quantum\n[\s\S]*quantum\("[^"]*Bell[^"]*"/);
    expect(answer).toMatch(/Interpreted as: /);
    await until(() => ui.balance(), (b) => b < before, "balance after the model's answer");
    await ui.open("probe.md");
    await ui.shot("language-model-probe");
  });

  it("a revoked key gives one notification offering Set API Key", async () => {
    await ui.clearNotifications();
    await server.admin("revoke-key", key);
    await ui.open("generate.py");
    await ui.command("BioQL: Generate Code");
    await ui.answerInput("Create a Bell state");
    const error = ui.errorToasts();
    await error.first().waitFor({ timeout: 30_000 });
    await ui.progressGone();
    expect(await error.allInnerTexts()).toHaveLength(1);
    await error.getByRole("button", { name: "Set API Key" }).waitFor();
    await ui.shot("revoked-key");
  });

  it("an empty balance gives one notification offering the account page", async () => {
    await ui.clearNotifications();
    const broke = await server.admin("create-user", "--email", "broke@example.org", "--balance", "0");
    keys.push(broke.api_key);
    await ui.command("BioQL: Set API Key");
    await ui.answerInput(broke.api_key);
    await until(() => ui.statusText(), (t) => t.includes("$0.00"), "balance of the empty account");
    await ui.clearNotifications();

    await ui.open("generate.py");
    await ui.command("BioQL: Generate Code");
    await ui.answerInput("Create a Bell state");
    const error = ui.errorToasts();
    await error.first().waitFor({ timeout: 30_000 });
    await ui.progressGone();
    expect(await error.allInnerTexts()).toHaveLength(1);
    await error.getByRole("button", { name: "Open Account Page" }).waitFor();
    expect(await error.innerText()).toMatch(/balance/i);
    await ui.shot("empty-balance");
  });

  it("a rate-limited request gives one warning with the wait and Retry, and Retry after the wait inserts the code", async () => {
    await ui.clearNotifications();
    const rita = await server.admin("create-user", "--email", "rita@example.org", "--balance", "10");
    keys.push(rita.api_key);
    await ui.command("BioQL: Set API Key");
    await ui.answerInput(rita.api_key);
    await until(() => ui.statusText(), (t) => t.includes("$10.00"), "balance of the new key");
    await ui.clearNotifications();

    // The user points the extension at the rate-limited server; it asks there for the balance.
    await ui.editUserSettings({ ...codeServer.settings, "bioql.serverUrl": limited.url }, codeServer.settingsFile);
    await until(async () => limited.log, (log) => /GET \/v1\/account 200/.test(log), "the balance asked of the rate-limited server");
    await ui.shot("rate-limited-server-setting");
    await ui.command("View: Close Editor");

    await ui.open("limited.py");
    await ui.page.keyboard.press("Control+End");
    await ui.command("BioQL: Generate Code");
    const input = ui.page.locator(".quick-input-widget input");
    await input.fill("Create a Bell state");
    // Another client of the same key takes its one request the moment it refills (a 429 alone
    // would not do: the refill may be a moment away), so Generate finds the bucket empty.
    await until(
      async () => (await fetch(`${limited.url}/v1/account`, { headers: { Authorization: `Bearer ${rita.api_key}` } })).status,
      (status) => status === 200,
      "the key's request refilled",
      (2 * 60_000) / LIMIT_PER_MINUTE,
    );
    await input.press("Enter");
    const warning = ui.warningToasts();
    await warning.first().waitFor({ timeout: 30_000 });
    await ui.progressGone();
    expect(await ui.errorToasts().count()).toBe(0);
    expect(await warning.allInnerTexts()).toHaveLength(1);
    const message = (await warning.innerText()).replace(/\s+/g, " ");
    expect(message).toMatch(/Too many requests/);
    const wait = /(\d+(?:\.\d+)?) s\b/.exec(message);
    expect(wait, message).not.toBeNull();
    expect(message.match(/\d+(?:\.\d+)? s\b/g), message).toHaveLength(1); // the wait said once
    const retry = warning.getByRole("button", { name: "Retry" });
    await retry.waitFor();
    await ui.shot("rate-limited");

    await new Promise((r) => setTimeout(r, Number(wait![1]) * 1000 + 500));
    await retry.click();
    await until(() => ui.editor().innerText(), (t) => t.includes("quantum("), "code inserted by Retry");
    const text = await ui.saveChanged("limited.py", FILES["limited.py"]);
    expect(text).toMatch(/quantum\("[^"]*Bell[^"]*"/);
    await until(() => ui.balance(), (b) => b < 10, "balance after the retried request");
    await ui.shot("rate-limited-retried");
  });
});
