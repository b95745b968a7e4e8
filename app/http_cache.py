"""What browsers and caches need from a read-mostly API: ETags and 304s, Cache-Control, CORS, gzip.

``ETag`` is a hash of the body, so it costs no extra query and changes exactly when the answer does.
It is weak (``W/``) because the same JSON is served plain or gzipped. Streamed answers (exports) are
passed through untouched: hashing them would mean holding the whole export in memory.
"""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.settings import Settings

# Headers a browser script may read; the rate-limit ones come from the rate limiter (IETF draft names).
EXPOSED_HEADERS = [
    "Link",
    "ETag",
    "RateLimit",
    "RateLimit-Policy",
    "Retry-After",
    "Content-Disposition",
    "X-Request-ID",
]
NO_STORE_PATHS = frozenset({"/health", "/ready", "/metrics"})
GZIP_MINIMUM_SIZE = 1024


def etag_of(body: bytes) -> str:
    return 'W/"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 §13.1.2), as If-None-Match requires."""
    if if_none_match.strip() == "*":
        return True
    opaque = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == opaque for tag in if_none_match.split(","))


class HttpCacheMiddleware:
    """Adds ``ETag`` and ``Cache-Control`` to successful GET/HEAD answers and turns a matching
    ``If-None-Match`` into ``304 Not Modified``."""

    def __init__(self, app: ASGIApp, max_age: int) -> None:
        self.app = app
        self.cache_control = f"public, max-age={max_age}" if max_age > 0 else "no-cache"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if scope["path"] in NO_STORE_PATHS:
            await self.app(scope, receive, _with_header(send, b"cache-control", b"no-store"))
            return
        if_none_match = next(
            (value.decode("latin-1") for name, value in scope["headers"] if name == b"if-none-match"), None
        )
        start: Message | None = None
        passing_through = False

        async def send_wrapper(message: Message) -> None:
            nonlocal start, passing_through
            if passing_through:
                await send(message)
                return
            if message["type"] == "http.response.start":
                start = message
                if message["status"] != 200:
                    passing_through = True
                    await send(message)
                return
            assert start is not None
            if message.get("more_body", False):
                # A stream: no ETag; the caching policy still applies.
                passing_through = True
                await send(_add_headers(start, [(b"cache-control", self.cache_control.encode())]))
                await send(message)
                return
            body = message.get("body", b"")
            etag = etag_of(body)
            extra = [(b"etag", etag.encode()), (b"cache-control", self.cache_control.encode())]
            if if_none_match is not None and etag_matches(if_none_match, etag):
                kept = [
                    (name, value)
                    for name, value in start["headers"]
                    if name.lower() not in (b"content-length", b"content-type")
                ]
                await send({"type": "http.response.start", "status": 304, "headers": kept + extra})
                await send({"type": "http.response.body", "body": b""})
                return
            await send(_add_headers(start, extra))
            await send(message)

        await self.app(scope, receive, send_wrapper)


def _add_headers(start: Message, extra: list[tuple[bytes, bytes]]) -> Message:
    names = {name for name, _ in extra}
    headers = [(name, value) for name, value in start["headers"] if name.lower() not in names]
    return {**start, "headers": headers + extra}


def _with_header(send: Send, name: bytes, value: bytes) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = _add_headers(message, [(name, value)])
        await send(message)

    return wrapped


def install_http_middleware(app: FastAPI, settings: Settings) -> None:
    """Innermost first: caching sees the plain body, gzip compresses it, CORS wraps everything
    (so that even a 304 or a problem carries the CORS headers a browser needs to read it)."""
    app.add_middleware(HttpCacheMiddleware, max_age=settings.cache_max_age)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_SIZE)
    if settings.cors_origins:
        options: dict[str, Any] = {
            "allow_origins": settings.cors_origins,
            "allow_methods": ["GET", "HEAD", "POST", "DELETE", "OPTIONS"],
            "allow_headers": ["Authorization", "Content-Type", "If-None-Match", "Accept"],
            "expose_headers": EXPOSED_HEADERS,
            "max_age": 600,
        }
        app.add_middleware(CORSMiddleware, **options)
