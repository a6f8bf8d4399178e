"""/dashboard: the coordinator's home, what needs them today."""
