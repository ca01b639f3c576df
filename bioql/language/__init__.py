"""The natural-language front end: English or Spanish words → the circuit IR.

>>> from bioql.language import compile_description
>>> program = compile_description("Create a Bell state and run it 2000 times")
>>> program.kinds, program.shots
(['bell'], 2000)

Pipeline (one small module per stage): :mod:`normalize` (Unicode, accents, kets) →
:mod:`classify` with :mod:`lexicon` and :mod:`numbers` (typos, number words, concepts) →
:mod:`options` (shots, backend) → :mod:`clauses` → :mod:`parser` (a grammar per construct) →
:mod:`assemble` (register size, steps, output register). Qiskit is never imported here.
"""

from __future__ import annotations

from bioql.language.compiler import compile_description, describe
from bioql.language.examples import EXAMPLES, SUPPORTED
from bioql.language.interpret import interpret

__all__ = ["EXAMPLES", "SUPPORTED", "compile_description", "describe", "interpret"]
