"""Positions: router (HTTP), schemas, service (queries)."""
