"""Full-text search: the query language, its SQL on SQLite (FTS5) and PostgreSQL (tsvector), highlights."""
