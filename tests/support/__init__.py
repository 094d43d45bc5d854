"""Helpers shared by the browser tests (server harness); not tests themselves."""
