"""Bounds on what one request may bring: body size (413) and query string length (422).

The body is read here, before any route, up to ``NEWSFACTS_MAX_BODY_BYTES``: a ``Content-Length`` above
it is refused without reading, and a chunked body is refused as soon as it passes it. The bytes read are
then replayed to the app. Page sizes and text lengths are bounded where they are declared (query
parameters and request schemas), so that they show in the OpenAPI spec.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import AppError, InvalidParameter, problem_response

METHODS_WITH_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class PayloadTooLarge(AppError):
    status = 413
    slug = "body-too-large"
    title = "Body too large"


class RequestLimitsMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int, max_query_chars: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_query_chars = max_query_chars

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, error: AppError) -> None:
        response = problem_response(Request(scope), error.status, error.slug, error.title, error.detail)
        if error.status == 413:
            response.headers["Connection"] = "close"
        await response(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        if len(query) > self.max_query_chars:
            await self._refuse(
                scope,
                receive,
                send,
                InvalidParameter(
                    f"The query string has {len(query)} characters; the limit is {self.max_query_chars}."
                ),
            )
            return
        if scope["method"] not in METHODS_WITH_BODY:
            await self.app(scope, receive, send)
            return

        too_large = PayloadTooLarge(f"The request body is larger than {self.max_body_bytes} bytes.")
        declared = Request(scope).headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._refuse(scope, receive, send, too_large)
            return

        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await self._refuse(scope, receive, send, too_large)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break

        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
