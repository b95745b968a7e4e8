"""Articles: router (HTTP), schemas, service (queries)."""
