/**
 * A small, behaving stand-in for the `vscode` module (aliased in vitest.config.ts).
 *
 * Documents hold real text and editors really edit it, settings resolve by scope with the
 * defaults declared in package.json, and SecretStorage fires change events, so tests assert what a
 * user would see (the text in the file, the notification, the setting removed), not which
 * functions were called.
 */
import { readFileSync } from "node:fs";
import { vi } from "vitest";

// ---------------------------------------------------------------- value types

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
  isEqual(other: Position): boolean {
    return this.line === other.line && this.character === other.character;
  }
  isBefore(other: Position): boolean {
    return this.line < other.line || (this.line === other.line && this.character < other.character);
  }
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    const start = typeof a === "number" ? new Position(a, b as number) : a;
    const end = typeof a === "number" ? new Position(c as number, d as number) : (b as Position);
    [this.start, this.end] = end.isBefore(start) ? [end, start] : [start, end];
  }
  get isEmpty(): boolean {
    return this.start.isEqual(this.end);
  }
}

export class Selection extends Range {
  constructor(
    readonly anchor: Position,
    readonly active: Position,
  ) {
    super(anchor, active);
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}
  static parse(value: string): Uri {
    const url = new URL(value);
    return new Uri(url.protocol.replace(/:$/, ""), url.host, url.pathname, url.search.replace(/^\?/, ""), url.hash.replace(/^#/, ""));
  }
  static file(path: string): Uri {
    return new Uri("file", "", path, "", "");
  }
  static from(parts: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(parts.scheme, parts.authority ?? "", parts.path ?? "", parts.query ?? "", parts.fragment ?? "");
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, base.authority, [base.path.replace(/\/$/, ""), ...segments].join("/"), base.query, base.fragment);
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: { scheme?: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, change.authority ?? this.authority, change.path ?? this.path, change.query ?? this.query, change.fragment ?? this.fragment);
  }
  toJSON(): unknown {
    return { scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment };
  }
  toString(): string {
    const authority = this.authority ? `//${this.authority}` : this.scheme === "file" ? "//" : "";
    return `${this.scheme}:${authority}${this.path}${this.query ? `?${this.query}` : ""}${this.fragment ? `#${this.fragment}` : ""}`;
  }
}

export class Disposable {
  constructor(private readonly fn: () => void = () => {}) {}
  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

export class EventEmitter<T> {
  private readonly listeners = new Set<(value: T) => unknown>();
  readonly event = (listener: (value: T) => unknown): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  private cancelled = false;
  readonly token: { readonly isCancellationRequested: boolean; onCancellationRequested: EventEmitter<void>["event"] };
  constructor() {
    const isCancelled = () => this.cancelled;
    this.token = {
      get isCancellationRequested() {
        return isCancelled();
      },
      onCancellationRequested: this.emitter.event,
    };
  }
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

export class WorkspaceEdit {
  readonly edits: Array<{ uri: Uri; range: Range; text: string }> = [];
  replace(uri: Uri, range: Range, text: string): void {
    this.edits.push({ uri, range, text });
  }
  insert(uri: Uri, position: Position, text: string): void {
    this.edits.push({ uri, range: new Range(position, position), text });
  }
}

export class InlineCompletionItem {
  constructor(
    readonly insertText: string,
    readonly range?: Range,
  ) {}
}

export class MarkdownString {
  isTrusted?: boolean | { enabledCommands: readonly string[] };
  constructor(public value = "") {}
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}
export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}
export enum ConfigurationTarget {
  Global = 1,
  Workspace = 2,
  WorkspaceFolder = 3,
}

// ---------------------------------------------------------------- documents and editors

let untitledCounter = 0;

export class FakeTextDocument {
  version = 1;
  isClosed = false;
  constructor(
    public text: string,
    readonly languageId = "python",
    readonly uri: Uri = Uri.from({ scheme: "untitled", path: `Untitled-${++untitledCounter}` }),
  ) {}
  getText(range?: Range): string {
    if (!range) return this.text;
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }
  get lineCount(): number {
    return this.text.split("\n").length;
  }
  lineAt(line: number | Position): { text: string; lineNumber: number } {
    const n = typeof line === "number" ? line : line.line;
    return { text: this.text.split("\n")[n] ?? "", lineNumber: n };
  }
  offsetAt(position: Position): number {
    const lines = this.text.split("\n");
    let offset = 0;
    for (let i = 0; i < position.line && i < lines.length; i++) offset += lines[i].length + 1;
    return Math.min(offset + position.character, this.text.length);
  }
  positionAt(offset: number): Position {
    const before = this.text.slice(0, Math.max(0, Math.min(offset, this.text.length)));
    const lines = before.split("\n");
    return new Position(lines.length - 1, lines[lines.length - 1].length);
  }
  /** Replaces a range, bumping the version like VS Code does. */
  replace(range: Range, text: string): void {
    const start = this.offsetAt(range.start);
    const end = this.offsetAt(range.end);
    this.text = this.text.slice(0, start) + text + this.text.slice(end);
    this.version += 1;
  }
}

export class FakeTextEditor {
  selection: Selection;
  constructor(
    readonly document: FakeTextDocument,
    selection?: Selection,
  ) {
    const end = document.positionAt(document.text.length);
    this.selection = selection ?? new Selection(end, end);
  }
  /** Applies the builder's edits from last to first so offsets stay valid, like VS Code. */
  async edit(callback: (builder: { insert(p: Position, t: string): void; replace(r: Range, t: string): void; delete(r: Range): void }) => void): Promise<boolean> {
    if (this.document.isClosed) return false;
    const edits: Array<{ range: Range; text: string }> = [];
    callback({
      insert: (p, t) => edits.push({ range: new Range(p, p), text: t }),
      replace: (r, t) => edits.push({ range: r, text: t }),
      delete: (r) => edits.push({ range: r, text: "" }),
    });
    edits.sort((a, b) => this.document.offsetAt(b.range.start) - this.document.offsetAt(a.range.start));
    for (const e of edits) this.document.replace(e.range, e.text);
    return true;
  }
}

/** Opens `text` in a new editor with the cursor at the `|` marker (removed) or at the end. */
export function openEditor(textWithCursor: string, languageId = "python", uri?: Uri): FakeTextEditor {
  const marker = textWithCursor.indexOf("|");
  const text = marker >= 0 ? textWithCursor.slice(0, marker) + textWithCursor.slice(marker + 1) : textWithCursor;
  const document = new FakeTextDocument(text, languageId, uri);
  const position = document.positionAt(marker >= 0 ? marker : text.length);
  const editor = new FakeTextEditor(document, new Selection(position, position));
  workspace.textDocuments.push(document);
  window.activeTextEditor = editor;
  return editor;
}

// ---------------------------------------------------------------- settings and secrets

interface Scoped {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
const declaredDefaults: Record<string, unknown> = Object.fromEntries(
  Object.entries(manifest.contributes.configuration.properties as Record<string, { default?: unknown }>).map(([k, v]) => [k, v.default]),
);

const settingsStore = new Map<string, Scoped>();
const SCOPE_OF: Record<number, keyof Scoped> = {
  [ConfigurationTarget.Global]: "globalValue",
  [ConfigurationTarget.Workspace]: "workspaceValue",
  [ConfigurationTarget.WorkspaceFolder]: "workspaceFolderValue",
};

/** Sets a user (or workspace) setting as if typed into settings.json. */
export function setSetting(key: string, value: unknown, target = ConfigurationTarget.Global): void {
  const scoped = settingsStore.get(key) ?? {};
  scoped[SCOPE_OF[target]] = value;
  settingsStore.set(key, scoped);
}

export function settingScopes(key: string): Scoped {
  return { ...(settingsStore.get(key) ?? {}) };
}

const configEmitter = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();

function getConfiguration(section = "") {
  const full = (key: string) => (section ? `${section}.${key}` : key);
  return {
    get<T>(key: string, fallback?: T): T {
      const s = settingsStore.get(full(key)) ?? {};
      for (const v of [s.workspaceFolderValue, s.workspaceValue, s.globalValue]) if (v !== undefined) return v as T;
      const declared = declaredDefaults[full(key)];
      return (declared !== undefined ? declared : fallback) as T;
    },
    inspect<T>(key: string) {
      const s = settingsStore.get(full(key)) ?? {};
      return { key: full(key), defaultValue: declaredDefaults[full(key)] as T, ...s };
    },
    has(key: string): boolean {
      return settingsStore.has(full(key)) || full(key) in declaredDefaults;
    },
    update: vi.fn(async (key: string, value: unknown, target: ConfigurationTarget = ConfigurationTarget.Workspace) => {
      const scoped = settingsStore.get(full(key)) ?? {};
      scoped[SCOPE_OF[target]] = value;
      if (value === undefined) delete scoped[SCOPE_OF[target]];
      settingsStore.set(full(key), scoped);
      configEmitter.fire({ affectsConfiguration: (s: string) => full(key).startsWith(s) });
    }),
  };
}

export class FakeSecretStorage {
  readonly values = new Map<string, string>();
  private readonly emitter = new EventEmitter<{ key: string }>();
  readonly onDidChange = this.emitter.event;
  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.emitter.fire({ key });
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
    this.emitter.fire({ key });
  }
}

// ---------------------------------------------------------------- UI surfaces

export class FakeOutputChannel {
  readonly lines: string[] = [];
  visible = false;
  constructor(readonly name: string) {}
  appendLine(line: string): void {
    this.lines.push(line);
  }
  append(text: string): void {
    this.lines.push(text);
  }
  show(): void {
    this.visible = true;
  }
  clear(): void {
    this.lines.length = 0;
  }
  dispose(): void {}
}

export class FakeStatusBarItem {
  text = "";
  tooltip: string | undefined;
  command: string | undefined;
  name: string | undefined;
  backgroundColor: ThemeColor | undefined;
  visible = false;
  constructor(
    readonly alignment?: StatusBarAlignment,
    readonly priority?: number,
  ) {}
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {}
}

/** The progress notifications shown, each with the token its Cancel button would trigger. */
export const progressShown: Array<{ title: string; cancellable: boolean; source: CancellationTokenSource }> = [];

const commandRegistry = new Map<string, (...args: unknown[]) => unknown>();

export const window = {
  activeTextEditor: undefined as FakeTextEditor | undefined,
  showInputBox: vi.fn(async (_options?: unknown): Promise<string | undefined> => undefined),
  showInformationMessage: vi.fn(async (..._args: unknown[]): Promise<string | undefined> => undefined),
  showWarningMessage: vi.fn(async (..._args: unknown[]): Promise<string | undefined> => undefined),
  showErrorMessage: vi.fn(async (..._args: unknown[]): Promise<string | undefined> => undefined),
  withProgress: vi.fn(async (options: { title: string; cancellable?: boolean }, task: (progress: unknown, token: unknown) => Promise<unknown>) => {
    const source = new CancellationTokenSource();
    progressShown.push({ title: options.title, cancellable: !!options.cancellable, source });
    return task({ report: () => {} }, source.token);
  }),
  createOutputChannel: vi.fn((name: string) => new FakeOutputChannel(name)),
  statusBarMessages: [] as string[],
  setStatusBarMessage: vi.fn((text: string, _timeout?: number) => {
    window.statusBarMessages.push(text);
    return new Disposable();
  }),
  createStatusBarItem: vi.fn((alignment?: StatusBarAlignment, priority?: number) => new FakeStatusBarItem(alignment, priority)),
  showTextDocument: vi.fn(async (document: FakeTextDocument) => {
    const editor = new FakeTextEditor(document);
    window.activeTextEditor = editor;
    return editor;
  }),
  tabGroups: { all: [] as Array<{ tabs: unknown[] }>, close: vi.fn(async () => true) },
};

export const workspace = {
  textDocuments: [] as FakeTextDocument[],
  getConfiguration: vi.fn(getConfiguration),
  onDidChangeConfiguration: configEmitter.event,
  openTextDocument: vi.fn(async (options: { language?: string; content?: string }) => {
    const document = new FakeTextDocument(options.content ?? "", options.language ?? "plaintext");
    workspace.textDocuments.push(document);
    return document;
  }),
  applyEdit: vi.fn(async (edit: WorkspaceEdit) => {
    for (const e of [...edit.edits].reverse()) {
      const document = workspace.textDocuments.find((d) => d.uri.toString() === e.uri.toString());
      if (!document) return false;
      document.replace(e.range, e.text);
    }
    return true;
  }),
  registerTextDocumentContentProvider: vi.fn((_scheme: string, _provider: unknown) => new Disposable()),
};

export const commands = {
  registerCommand: vi.fn((id: string, handler: (...args: unknown[]) => unknown) => {
    if (commandRegistry.has(id)) throw new Error(`command '${id}' already exists`);
    commandRegistry.set(id, handler);
    return new Disposable(() => commandRegistry.delete(id));
  }),
  /** Runs registered commands; built-in ones (vscode.diff, …) are recorded only. */
  executeCommand: vi.fn(async (id: string, ...args: unknown[]) => commandRegistry.get(id)?.(...args)),
  registered: (): string[] => [...commandRegistry.keys()],
};

export const env = {
  openExternal: vi.fn(async (_uri: Uri) => true),
};

export const languages = {
  registerInlineCompletionItemProvider: vi.fn((_selector: unknown, _provider: unknown) => new Disposable()),
};

export class LanguageModelTextPart {
  constructor(public value: string) {}
}

export class LanguageModelDataPart {
  constructor(
    public data: Uint8Array,
    public mimeType: string,
  ) {}
}

export enum LanguageModelChatMessageRole {
  User = 1,
  Assistant = 2,
}

export const lm = {
  registerLanguageModelChatProvider: vi.fn((_vendor: string, _provider: unknown) => new Disposable()),
  selectChatModels: vi.fn(async (_selector?: unknown) => [] as unknown[]),
};

export const chat = {
  createChatParticipant: vi.fn((id: string, handler: unknown) => ({ id, handler, iconPath: undefined as Uri | undefined, dispose() {} })),
};

/** A fresh editor-less, setting-less VS Code for each test. */
export function resetVscodeMock(): void {
  settingsStore.clear();
  commandRegistry.clear();
  progressShown.length = 0;
  workspace.textDocuments.length = 0;
  window.activeTextEditor = undefined;
  window.tabGroups.all = [];
  window.statusBarMessages.length = 0;
  vi.clearAllMocks();
  window.showInputBox.mockImplementation(async () => undefined);
  for (const fn of [window.showInformationMessage, window.showWarningMessage, window.showErrorMessage]) {
    fn.mockImplementation(async () => undefined);
  }
}
