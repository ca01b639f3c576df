"""The HTTP routes, one module per group: assistant, run, account, health (with /metrics) and
the playground page."""
