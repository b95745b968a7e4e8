"""Topics: router (HTTP), schemas, service (queries)."""
