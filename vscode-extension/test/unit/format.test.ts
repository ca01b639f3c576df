import { describe, expect, it } from "vitest";
import { usd } from "../../src/costLog";
import { extractCodeBlock, fenced, insertionText, placeCode, quantumDescriptions, reasoningComment, withoutImportsAlreadyIn, wrap } from "../../src/format";

describe("money and text formatting", () => {
  it.each([
    [0.000514, "$0.000514"],
    [0.000000428, "$0.000000428"], // a sub-cent charge on a local model is not rounded away
    [9.999999572, "$9.999999572"], // and the balance visibly moves after it
    [9.9999999999, "$9.999999999"], // truncated: a balance is never shown higher than it is
    [10, "$10.00"],
    [0.5, "$0.50"],
    [0, "$0.00"],
    [-0.25, "-$0.25"],
    [-0.0000000001, "$0.00"],
    [0.1 + 0.2, "$0.30"],
    [Number.NaN, "$?"],
  ])("usd(%d) = %s", (value, text) => {
    expect(usd(value)).toBe(text);
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

describe("the Output log and the status bar", () => {
  it("show a sub-cent cost and the balance with the same digits", async () => {
    const { CostLog } = await import("../../src/costLog");
    const { BalanceStatus } = await import("../../src/balance");
    const { FakeOutputChannel, FakeStatusBarItem } = await import("../mocks/vscode");
    const channel = new FakeOutputChannel("BioQL");
    const status = new FakeStatusBarItem();
    const user = { email: "a@b.c", balance: 9.999999572 };
    const cost = { base_cost_usd: 0.000000306, user_cost_usd: 0.000000428, profit_usd: 0.000000122, markup_percent: 40, margin_percent: 28.57 };
    new CostLog(channel).record("generate", { model: "m", cost, user }, 0.1);
    new BalanceStatus(status as never).update(user);
    expect(channel.lines[0]).toContain("cost=$0.000000428 (base $0.000000306 + 40% markup)");
    expect(channel.lines[0]).toContain("balance=$9.999999572");
    expect(status.text).toBe("$(beaker) BioQL $9.999999572");
  });
});

describe("placing generated code in a file", () => {
  const CODE = 'from bioql import quantum\n\nr = quantum("Create a Bell state")\nprint(r)';
  /** The document after inserting CODE at the `|` of `marked`. */
  function insert(marked: string, code = CODE, reasoning?: string): string {
    const cursor = marked.indexOf("|");
    const text = marked.replace("|", "");
    const { offset, text: added } = placeCode(text, cursor, code, reasoning, "python");
    return text.slice(0, offset) + added + text.slice(offset);
  }

  it("on an empty line: at the cursor, what followed moves down", () => {
    expect(insert("x = 1\n|\ny = 2\n")).toBe('x = 1\nfrom bioql import quantum\n\nr = quantum("Create a Bell state")\nprint(r)\n\ny = 2\n');
  });

  it("at the end of a line of code: on the next line, never glued to it", () => {
    expect(insert("x = 1|")).toBe('x = 1\nfrom bioql import quantum\n\nr = quantum("Create a Bell state")\nprint(r)');
    expect(insert("x = 1|\ny = 2")).toBe('x = 1\nfrom bioql import quantum\n\nr = quantum("Create a Bell state")\nprint(r)\ny = 2');
  });

  it("in the middle of a line: after that line, at its indentation", () => {
    expect(insert("def f():\n    x = |1\n", "a = 1\nb = 2")).toBe("def f():\n    x = 1\n    a = 1\n    b = 2\n");
  });

  it("with the reasoning as comments right above the code", () => {
    expect(insert("x = 1|", "a = 1", "Why.")).toBe("x = 1\n# Why.\na = 1");
  });

  it("leaves out imports the file already has above, and the blank line they leave", () => {
    expect(insert("from bioql import quantum\n|")).toBe('from bioql import quantum\nr = quantum("Create a Bell state")\nprint(r)\n');
    expect(insert("from bioql import dock, quantum\n\nprint(1)|")).toBe('from bioql import dock, quantum\n\nprint(1)\nr = quantum("Create a Bell state")\nprint(r)');
  });

  it("keeps an import that is only below the cursor, or brings a new name", () => {
    expect(insert("|\nfrom bioql import quantum\n")).toBe(CODE + "\n\nfrom bioql import quantum\n");
    expect(withoutImportsAlreadyIn("from bioql import quantum, dock\nx = 1", "from bioql import quantum\n")).toBe("from bioql import quantum, dock\nx = 1");
    expect(withoutImportsAlreadyIn("import numpy as np\nimport os\nx = 1", "import numpy as np\n")).toBe("import os\nx = 1");
  });
});
