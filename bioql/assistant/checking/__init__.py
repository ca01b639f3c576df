"""Checking generated code against the real API and BioQL's compiler before it is returned."""
