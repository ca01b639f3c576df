"""The assistant's own reader of requests (intent, canonical descriptions, number words), which
the template generator and the checks use; to be replaced by ``bioql.language``."""
