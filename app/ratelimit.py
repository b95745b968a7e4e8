"""Rate limiting per API key or client address, with the IETF ``RateLimit`` header fields.

Counting is done by the ``limits`` package (fixed windows; in-memory storage per process by default,
Redis with ``NEWSFACTS_RATE_LIMIT_STORAGE_URL=redis://…`` to share counters between processes).
Every limited response carries (draft-ietf-httpapi-ratelimit-headers)::

    RateLimit-Policy: "read";q=600;w=60
    RateLimit: "read";r=599;t=42

and a request over the quota gets a 429 problem with ``Retry-After``. Reads (GET, HEAD) and writes
(everything else) have separate quotas. Probes and metrics (/health, /ready, /metrics) are not limited.
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import TYPE_CHECKING, Any

from limits import RateLimitItem, parse
from limits.errors import ConfigurationError
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import AppError, problem_response
from app.security import presented_key, valid_key

if TYPE_CHECKING:
    from app.settings import Settings

UNLIMITED_PATHS = frozenset({"/health", "/ready", "/metrics"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TooManyRequests(AppError):
    status = 429
    slug = "too-many-requests"
    title = "Too many requests"


def parse_rate(value: str) -> RateLimitItem:
    """``"600/minute"`` → a limit; raises ValueError with the reason otherwise."""
    try:
        return parse(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a rate like 600/minute or 10/second") from None


def check_storage_url(url: str) -> None:
    try:
        storage_from_string(url)
    except ConfigurationError as exc:
        raise ValueError(f"{url!r}: {exc}") from None


class RateLimitMiddleware:
    """Pure ASGI middleware, so that it also limits requests that never reach a route."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.enabled = settings.rate_limit_enabled
        self.policies = {
            "read": parse_rate(settings.rate_limit_read),
            "write": parse_rate(settings.rate_limit_write),
        }
        self.storage: Storage = storage_from_string(settings.rate_limit_storage_url)
        self.limiter = FixedWindowRateLimiter(self.storage)
        # The memory storage never blocks; a network storage is called from a worker thread.
        self.in_memory = isinstance(self.storage, MemoryStorage)

    def identity(self, scope: Scope) -> str:
        """The key when a valid one is presented (hashed, never stored), otherwise the client address."""
        key = presented_key(Request(scope))
        if key is not None and valid_key(key, self.settings.api_keys):
            return "key:" + hashlib.sha256(key.encode()).hexdigest()[:16]
        client = scope.get("client")
        return "addr:" + (client[0] if client else "unknown")

    def _hit(self, item: RateLimitItem, *identifiers: str) -> tuple[bool, Any]:
        allowed = self.limiter.hit(item, *identifiers)
        return allowed, self.limiter.get_window_stats(item, *identifiers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.enabled or scope["path"] in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        name = "read" if scope["method"] in READ_METHODS else "write"
        item = self.policies[name]
        who = self.identity(scope)
        if self.in_memory:
            allowed, stats = self._hit(item, name, who)
        else:
            allowed, stats = await run_in_threadpool(self._hit, item, name, who)
        reset = max(0, math.ceil(stats.reset_time - time.time()))
        headers = {
            "RateLimit-Policy": f'"{name}";q={item.amount};w={item.get_expiry()}',
            "RateLimit": f'"{name}";r={max(0, stats.remaining)};t={reset}',
        }
        if not allowed:
            request = Request(scope)
            error = TooManyRequests(
                f"More than {item.amount} {name} requests in {item.get_expiry()} s; retry in {reset} s."
            )
            response = problem_response(request, error.status, error.slug, error.title, error.detail)
            response.headers.update({**headers, "Retry-After": str(max(1, reset))})
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    *((k.lower().encode(), v.encode()) for k, v in headers.items()),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def document_rate_limits(app: Any) -> None:
    """Adds the 429 problem and the RateLimit headers to every limited operation of the OpenAPI spec."""
    from app.errors import problem_responses

    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema  # type: ignore[no-any-return]
        spec = build()
        too_many = problem_responses(429)[429]
        header = {"schema": {"type": "string"}}
        for path, operations in spec.get("paths", {}).items():
            if path in UNLIMITED_PATHS:
                continue
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                responses.setdefault(
                    "429",
                    {
                        "description": too_many["description"],
                        "headers": {
                            "Retry-After": {"description": "Seconds to wait.", **header},
                            "RateLimit": {"description": "Quota left and seconds to reset.", **header},
                            "RateLimit-Policy": {"description": "Quota and window.", **header},
                        },
                        "content": {
                            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                        },
                    },
                )
        app.openapi_schema = spec
        return spec

    app.openapi = openapi
