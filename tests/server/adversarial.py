"""Hostile inputs for every endpoint that reads text: long digit runs, deep nesting, huge
numbers, pathological Unicode and repetition. Each is within the size limits, so the service
has to answer it, in time, with JSON. Used by the tests and by benchmarks/server."""

from __future__ import annotations

from dataclasses import dataclass

PROMPT_LIMIT = 4000  # Settings.max_prompt_chars
CODE_LIMIT = 20_000  # five times the prompt limit


@dataclass(frozen=True)
class Case:
    name: str
    endpoint: str  # "generate", "fix", "complete" or "run"
    text: str

    def body(self) -> dict[str, str]:
        if self.endpoint == "generate":
            return {"prompt": self.text}
        if self.endpoint == "complete":
            return {"prefix": self.text}
        return {"code": self.text}


def _prompts() -> dict[str, str]:
    bell = "Create a Bell state and measure it "
    return {
        "digits after a request": bell + "1" * 26,
        "digit run at the limit": bell + "7" * (PROMPT_LIMIT - len(bell)),
        "digits and spaces": bell + "1 " * 1900,
        "digits, dots and commas": bell + "1.2,3" * 780,
        "400-digit qubit count": "Create a GHZ state on " + "9" * 400 + " qubits",
        "400-digit shot count": bell + "9" * 400 + " times",
        "huge exponent": "Rotate qubit 0 by 1e999999 radians",
        "long marked string": "Grover search for " + "10" * 1900 + " on 3 qubits",
        "nested brackets": "(" * 1990 + "Bell" + ")" * 1990,
        "nested 1+": "Create a Bell state with " + "1+" * 1980 + "1 shots",
        "repeated word": "Bell " * 799,
        "repeated then": "apply H to qubit 0 then " * 166,
        "combining marks": "Create a Bell state" + "\u0301" * 3900,
        "dotted capital I": "İ" * PROMPT_LIMIT,
        "ligatures": "ﬃ" * PROMPT_LIMIT,
        "right-to-left and zero-width": ("\u202eBell\u200d\u200b" * 600)[:PROMPT_LIMIT],
        "emoji sequences": "👩‍👩‍👧‍👦" * 500,
        "NUL and controls": "Bell\x00\x01\x1b[2J" * 400,
        "one long word": "a" * PROMPT_LIMIT,
        "ket soup": "|" * 1000 + ">" * 1000 + "⟩" * 1000,
    }


def _programs() -> dict[str, str]:
    head = "from bioql import quantum\n"
    return {
        "nested 1+ in code": head + "x = " + "1+" * 6000 + "1\n",
        "nested parentheses in code": head + "x = " + "(" * 150 + "1" + ")" * 150 + "\n",
        "deep list in a call": head + "quantum(" + "[" * 90 + "]" * 90 + ")\n",
        "5000-digit shots": head + 'quantum("Create a Bell state", shots=' + "9" * 5000 + ")\n",
        "huge float shots": head + 'quantum("Create a Bell state", shots=1e308)\n',
        "many calls": head + "quantum(d, shots=n)\n" * 900,
        "digits in a description": head + 'quantum("Bell state ' + "1" * 3000 + '")\n',
        "unicode identifiers": head + "\n".join(f"ñ{i}ü = quantum(ß{i})" for i in range(600)),
        "form feeds and separators": head + ('x = "\u2028"\x0c\n' * 1500),
        "long string literal": head + 'quantum("' + "Bell " * 3900 + '")\n',
    }


CORPUS: list[Case] = [
    *(Case(f"generate: {name}", "generate", text) for name, text in _prompts().items()),
    *(Case(f"complete: {name}", "complete", text) for name, text in _prompts().items()),
    *(Case(f"fix: {name}", "fix", text) for name, text in _programs().items()),
    *(Case(f"run: {name}", "run", text) for name, text in _programs().items()),
]
