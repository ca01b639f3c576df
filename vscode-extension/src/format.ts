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
