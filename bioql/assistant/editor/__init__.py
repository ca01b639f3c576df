"""The editor's helpers: ``bioql fix`` (fix.py, arguments.py) and inline completion."""
