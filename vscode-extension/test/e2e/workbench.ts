/**
 * A user's hands on the VS Code workbench in the browser: the command palette, files, the status
 * bar, notifications and chat, through what is on screen (no VS Code internals).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";

const TIMEOUT = 30_000;

export class Workbench {
  private shots = 0;

  constructor(
    readonly page: Page,
    readonly workspace: string,
    readonly screenshots: string,
  ) {}

  /** Saves `NN-name.png` in the screenshot folder. */
  async shot(name: string): Promise<void> {
    this.shots += 1;
    await this.page.screenshot({ path: join(this.screenshots, `${String(this.shots).padStart(2, "0")}-${name}.png`) });
  }

  /** Runs a command from the palette (F1), picking the entry with this exact title. */
  async command(title: string): Promise<void> {
    await this.page.keyboard.press("Escape");
    await this.page.keyboard.press("F1");
    const input = this.page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: TIMEOUT });
    await input.fill(`>${title}`);
    const row = this.page.locator(".quick-input-list .monaco-list-row").filter({ hasText: title }).first();
    await row.waitFor({ state: "visible", timeout: TIMEOUT });
    await row.click();
  }

  /** Types into the quick input that a command opened (a prompt, a key) and presses Enter. */
  async answerInput(text: string): Promise<void> {
    const input = this.page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: TIMEOUT });
    await input.fill(text);
    await input.press("Enter");
    await input.waitFor({ state: "hidden", timeout: TIMEOUT });
  }

  /** Opens a workspace file through Quick Open, its editor focused. */
  async open(name: string): Promise<void> {
    // A file written a moment ago (the probe's answer) may not be in Quick Open's index yet:
    // ask again a few times rather than wait once (a clean-clone CI run timed out here once).
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press("Escape");
      await this.page.keyboard.press("Control+p");
      const input = this.page.locator(".quick-input-widget input");
      await input.waitFor({ state: "visible", timeout: TIMEOUT });
      await input.fill(name);
      // Click the file's row: Enter could pick the previous list (recently opened) first.
      const row = this.page
        .locator(".quick-input-list .monaco-list-row")
        .filter({ hasText: name })
        .first();
      try {
        await row.waitFor({ timeout: attempt < 4 ? TIMEOUT / 3 : TIMEOUT });
      } catch (error) {
        if (attempt >= 4) throw error;
        continue;
      }
      await row.click();
      break;
    }
    await this.page.locator(".tab.active").filter({ hasText: name }).waitFor({ timeout: TIMEOUT });
    await this.editor().click();
  }

  /** The active text editor's text area (the main editor part, not chat's input). */
  editor(): Locator {
    return this.page.locator(".part.editor .editor-instance .monaco-editor .view-lines").first();
  }

  /**
   * Saves the active editor and returns the file's new text on disk (fails if it stays `before`).
   * An empty read is a save in progress (the file is truncated, then written), not the result.
   */
  async saveChanged(name: string, before: string): Promise<string> {
    const path = join(this.workspace, name);
    return until(
      async () => {
        await this.command("File: Save");
        return readFileSync(path, "utf8");
      },
      (text) => text !== before && text !== "",
      `${name} changed on disk`,
    );
  }

  /**
   * Replaces the user's settings through **Preferences: Open User Settings (JSON)**, as a user
   * would (code-server does not notice settings.json changed behind its back), saves them and
   * waits for `file` on disk to hold them. VS Code 1.139 opens that editor in a modal, left open
   * (View: Close Editor closes it).
   */
  async editUserSettings(settings: Record<string, unknown>, file: string): Promise<void> {
    await this.command("Preferences: Open User Settings (JSON)");
    const text = JSON.stringify(settings, null, 2);
    const lines = this.page.locator(".monaco-editor .view-lines").filter({ hasText: "workbench.startupEditor" }).last();
    await lines.waitFor({ timeout: TIMEOUT });
    await lines.click();
    // Pasted: typed (or inserted as typing) text is auto-indented and its brackets auto-closed.
    await this.page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(this.page.url()).origin });
    type Clipboard = { navigator: { clipboard: { writeText(text: string): Promise<void> } } };
    await this.page.evaluate((t) => (globalThis as unknown as Clipboard).navigator.clipboard.writeText(t), text);
    await this.page.keyboard.press("Control+a");
    await this.page.keyboard.press("Control+v");
    await this.page.keyboard.press("Control+s");
    await until(async () => readFileSync(file, "utf8"), (saved) => saved.trim() === text, "settings.json saved");
  }

  /** The BioQL status-bar item's text. */
  async statusText(): Promise<string> {
    return (await this.page.locator(".statusbar-item").filter({ hasText: "BioQL" }).last().innerText()).trim();
  }

  /** The balance the status bar shows, in dollars. */
  async balance(): Promise<number> {
    const match = /\$(\d+\.\d+)/.exec(await this.statusText());
    if (!match) throw new Error(`no balance in the status bar: ${await this.statusText()}`);
    return Number(match[1]);
  }

  /** Notifications on screen. */
  toasts(): Locator {
    return this.page.locator(".notifications-toasts .notification-toast");
  }

  /** Error notifications (the red icon) on screen. */
  errorToasts(): Locator {
    return this.toasts().filter({ has: this.page.locator(".codicon-error") });
  }

  /** Warning notifications (the yellow icon) on screen. */
  warningToasts(): Locator {
    return this.toasts().filter({ has: this.page.locator(".codicon-warning") });
  }

  /** Waits until no "BioQL: …ing …" progress notification is left. */
  async progressGone(): Promise<void> {
    await this.toasts().filter({ hasText: /BioQL: \w+ing / }).first().waitFor({ state: "detached", timeout: TIMEOUT });
  }

  async clearNotifications(): Promise<void> {
    await this.command("Notifications: Clear All Notifications");
    await this.toasts().first().waitFor({ state: "detached", timeout: TIMEOUT });
  }

  /** The chat view's input, and the latest answer in it. */
  chatInput(): Locator {
    return this.page.locator(".part.auxiliarybar .interactive-input-part .monaco-editor").first();
  }

  chatResponses(): Locator {
    return this.page.locator(".part.auxiliarybar .interactive-item-container.interactive-response");
  }

  lastChatResponse(): Locator {
    return this.chatResponses().last();
  }

  /**
   * Sends `message` from the chat input, replacing what is there (a sticky `@bioql` comes back
   * after each request), and returns the answer it starts. The editor keeps its selection.
   */
  async ask(message: string): Promise<Locator> {
    await this.chatInput().click();
    await this.page.keyboard.press("Control+a");
    await this.page.keyboard.press("Backspace");
    await this.page.keyboard.type(message, { delay: 20 });
    await this.page.keyboard.press("Enter");
    // The chat is a virtual list: rows out of view leave the page and DOM order is not list
    // order. The answer is the row after the request's (data-index).
    const rows = this.page.locator(".part.auxiliarybar .monaco-list-row");
    const request = rows.filter({ has: this.page.locator(".interactive-request", { hasText: message }) }).last();
    await request.waitFor({ timeout: TIMEOUT });
    const index = Number(await request.getAttribute("data-index"));
    return this.page.locator(`.part.auxiliarybar .monaco-list-row[data-index="${index + 1}"] .interactive-response`);
  }
}

/** Polls `read` until `ok` holds; fails with the last value seen. */
export async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = TIMEOUT): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < end) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch {
      // not on screen yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs / 1000} s`);
}
