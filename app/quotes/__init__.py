"""Quotes: router (HTTP), schemas, service (queries)."""
