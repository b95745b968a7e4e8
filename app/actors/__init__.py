"""Actors: router (HTTP), schemas, service (queries)."""
