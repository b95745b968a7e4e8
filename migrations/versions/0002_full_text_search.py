"""full-text search: FTS5 tables and triggers on SQLite, generated tsvector columns with GIN on PostgreSQL

PostgreSQL also gets an index for newest-first lists (see below).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Written out rather than imported: a migration must keep meaning what it meant when it was written.
CONFIG = "'english'::regconfig"
TOKENIZER = "porter unicode61 remove_diacritics 2"

ARTICLE_COLUMNS = ("title", "standfirst", "body")
QUOTE_COLUMNS = ("content",)


def _sqlite_fts(table: str, columns: tuple[str, ...]) -> list[str]:
    fts = f"{table}_fts"
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', content_rowid='id', "
        f"tokenize='{TOKENIZER}')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {names} ON {table} BEGIN {delete} {insert} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        article_vector = " || ".join(
            f"setweight(to_tsvector({CONFIG}, {column}), '{weight}')"
            for column, weight in zip(ARTICLE_COLUMNS, "ABC", strict=True)
        )
        op.execute(
            "ALTER TABLE article ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({article_vector}) STORED"
        )
        op.execute("CREATE INDEX ix_article_search_vector ON article USING gin (search_vector)")
        op.execute(
            "ALTER TABLE quote ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS (to_tsvector({CONFIG}, content)) STORED"
        )
        op.execute("CREATE INDEX ix_quote_search_vector ON quote USING gin (search_vector)")
        # Newest first is published_on DESC NULLS LAST: a plain index read backwards gives NULLS FIRST,
        # so without this one PostgreSQL sorts every match of a common word to show the newest 20.
        op.execute(
            "CREATE INDEX ix_article_published_on_desc ON article (published_on DESC NULLS LAST, id DESC)"
        )
        return
    for statement in _sqlite_fts("article", ARTICLE_COLUMNS) + _sqlite_fts("quote", QUOTE_COLUMNS):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_article_published_on_desc")
        for table in ("quote", "article"):
            op.execute(f"DROP INDEX ix_{table}_search_vector")
            op.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")
        return
    for table in ("quote", "article"):
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER {table}_fts_{event}")
        op.execute(f"DROP TABLE {table}_fts")
