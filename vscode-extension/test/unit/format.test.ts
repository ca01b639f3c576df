import { describe, expect, it } from "vitest";
import { usd } from "../../src/costLog";
import { extractCodeBlock, fenced, insertionText, quantumDescriptions, reasoningComment, wrap } from "../../src/format";

describe("money and text formatting", () => {
  it.each([
    [0.000514, 6, "$0.000514"],
    [9.999486, 6, "$9.999486"],
    [9.999486, 4, "$9.9994"], // truncated: a balance is never shown higher than it is
    [10, 6, "$10.00"],
    [0.5, 6, "$0.50"],
    [0, 6, "$0.00"],
    [-0.25, 6, "-$0.25"],
    [0.1 + 0.2, 6, "$0.30"],
  ])("usd(%d, %d) = %s", (value, decimals, text) => {
    expect(usd(value, decimals)).toBe(text);
  });

  it("wraps reasoning at word boundaries and keeps paragraph breaks", () => {
    expect(wrap("one two three four", 9)).toEqual(["one two", "three", "four"]);
    expect(reasoningComment("First idea.\n\nSecond idea.", "python")).toBe("# First idea.\n#\n# Second idea.\n");
    expect(reasoningComment("   ")).toBe("");
  });

  it("puts the reasoning above the code and ends with one newline", () => {
    expect(insertionText("x = 1\n\n\n", "Because.", "python")).toBe("# Because.\nx = 1\n");
  });

  it("fences code that itself contains backticks", () => {
    expect(fenced("s = '```'")).toBe("````python\ns = '```'\n````\n");
  });

  it("finds the first fenced block in a chat prompt", () => {
    expect(extractCodeBlock("fix this:\n```python\nquantum('x')\n```\nthanks")).toBe("quantum('x')");
    expect(extractCodeBlock("no code here")).toBeUndefined();
  });

  it("lists the descriptions of quantum() calls, whatever the quoting", () => {
    const code = [
      "from bioql import quantum",
      'a = quantum("Create a Bell state", shots=100)',
      "b = quantum('Apply X to qubit 1 of 2 qubits')",
      'c = quantum("""Grover search for 101""")',
      "d = other_quantum(x)",
      "e = quantum(description)",
    ].join("\n");
    expect(quantumDescriptions(code)).toEqual(["Create a Bell state", "Apply X to qubit 1 of 2 qubits", "Grover search for 101"]);
  });
});
