"""The plan: the short line format a model writes (plan.py), its grammar for constrained
decoding (grammar.py) and the retry from near-miss tokens (search.py)."""
