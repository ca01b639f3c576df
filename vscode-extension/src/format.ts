/** Text shaping shared by the Generate command and the chat participant. */

/** Wraps `text` into lines of at most `width` characters, breaking at spaces. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    lines.push(line);
  }
  // Drop blank lines at the ends; keep blank lines between paragraphs.
  while (lines.length && !lines[0]) lines.shift();
  while (lines.length && !lines[lines.length - 1]) lines.pop();
  return lines;
}

/** The comment marker for line comments in the target file; generated code is Python. */
export function commentPrefix(languageId: string): string {
  return ["javascript", "typescript", "c", "cpp", "java", "go", "rust", "csharp"].includes(languageId) ? "//" : "#";
}

/** The model's reasoning as a comment block placed above the code. */
export function reasoningComment(reasoning: string, languageId = "python", width = 79): string {
  const prefix = commentPrefix(languageId);
  const body = wrap(reasoning, width - prefix.length - 1);
  if (body.length === 0) return "";
  return body.map((line) => (line ? `${prefix} ${line}` : prefix)).join("\n") + "\n";
}

/**
 * What Generate inserts: the optional reasoning block, then the code, ending in a newline.
 * `indent` (the whitespace before the cursor) is repeated on every line after the first so the
 * program lands at the cursor's indentation.
 */
export function insertionText(code: string, reasoning: string | undefined, languageId: string, indent = ""): string {
  let text = reasoning?.trim() ? reasoningComment(reasoning, languageId) : "";
  text += code.replace(/\s+$/, "") + "\n";
  if (!indent) return text;
  return text
    .split("\n")
    .map((line, i) => (i === 0 || !line ? line : indent + line))
    .join("\n");
}

/** "Interpreted as: …" for an answer's `interpreted_as` sentences; undefined when there are none. */
export function interpretationLine(sentences: readonly string[] | undefined): string | undefined {
  const list = (sentences ?? []).map((s) => s.trim()).filter(Boolean);
  return list.length ? `Interpreted as: ${list.join(" · ")}` : undefined;
}

/** A fenced Markdown code block that survives code containing backticks. */
export function fenced(code: string, language = "python"): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${code.replace(/\s+$/, "")}\n${fence}\n`;
}

/** The first fenced code block in a chat prompt, if any. */
export function extractCodeBlock(text: string): string | undefined {
  const match = /(`{3,})[^\n]*\n([\s\S]*?)\n?\1/.exec(text);
  return match ? match[2] : undefined;
}

/** The descriptions passed to `quantum("...")` in a BioQL program, in order. */
export function quantumDescriptions(code: string): string[] {
  const found: string[] = [];
  const pattern = /\bquantum\s*\(\s*(?:[rRuU]?)(?:"""([\s\S]*?)"""|'''([\s\S]*?)'''|"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')/g;
  for (const m of code.matchAll(pattern)) {
    const text = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? "").trim();
    if (text) found.push(text);
  }
  return found;
}

/** The names a `from M import a, b as c` line brings in, keyed by module; `import M` keys M itself. */
function importedNames(line: string): { module: string; names: string[] } | undefined {
  const from = /^from\s+([\w.]+)\s+import\s+\(?([^)#]*)\)?\s*(#.*)?$/.exec(line.trim());
  if (from) {
    const names = from[2]
      .split(",")
      .map((n) => n.trim().replace(/\s+/g, " "))
      .filter(Boolean);
    return names.length ? { module: from[1], names } : undefined;
  }
  const plain = /^import\s+([\w.]+(?:\s+as\s+\w+)?)\s*(#.*)?$/.exec(line.trim());
  return plain ? { module: "", names: [plain[1].replace(/\s+/g, " ")] } : undefined;
}

/**
 * `code` without the import lines whose every name the document text before the insertion point
 * already imports (at any indentation), and without the blank lines such a removal leaves at its
 * top. Imports that appear only below the insertion point are kept: Python needs them before use.
 */
export function withoutImportsAlreadyIn(code: string, textBefore: string): string {
  const known = new Map<string, Set<string>>();
  for (const line of textBefore.split(/\r?\n/)) {
    const found = importedNames(line);
    if (!found) continue;
    const names = known.get(found.module) ?? new Set<string>();
    for (const name of found.names) names.add(name);
    known.set(found.module, names);
  }
  const lines = code.split("\n");
  const kept = lines.filter((line) => {
    const found = importedNames(line);
    return !found || !found.names.every((name) => known.get(found.module)?.has(name));
  });
  if (kept.length === lines.length) return code;
  while (kept.length && !kept[0].trim()) kept.shift();
  return kept.join("\n");
}

/** Where and what to insert so generated code lands on lines of its own. */
export interface Placement {
  offset: number;
  text: string;
}

/**
 * Generated code for a document whose cursor is at `cursor` (an offset into `text`):
 * - on an empty line (or before the first character of a line) it goes at the cursor, every line
 *   at the cursor's indentation, ending in a newline so what followed moves down;
 * - anywhere else in a line it starts on a new line after that line, at the line's indentation,
 *   never glued to the end of the line;
 * - import lines the document already has above that point are left out.
 */
export function placeCode(text: string, cursor: number, code: string, reasoning: string | undefined, languageId: string): Placement {
  const lineStart = text.lastIndexOf("\n", cursor - 1) + 1;
  const newline = text.indexOf("\n", cursor);
  const lineEnd = newline === -1 ? text.length : newline;
  const before = text.slice(lineStart, cursor);
  if (!before.trim()) {
    const body = withoutImportsAlreadyIn(code, text.slice(0, cursor));
    return { offset: cursor, text: insertionText(body, reasoning, languageId, before) };
  }
  const indent = /^\s*/.exec(before)![0];
  const body = withoutImportsAlreadyIn(code, text.slice(0, lineEnd));
  const block = insertionText(body, reasoning, languageId, indent).replace(/\n$/, "");
  return { offset: lineEnd, text: `\n${indent}${block}` };
}
