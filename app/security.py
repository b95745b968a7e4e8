"""API keys for writes. Reads are public; writes need a key from ``NEWSFACTS_API_KEYS``.

A key is sent as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``. Keys are compared in constant
time (digests of equal length through ``hmac.compare_digest``, against every configured key), so neither
the content nor the length of a key leaks through timing. No key configured means writes are off (403).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import SecretStr

from app.errors import Forbidden, Unauthorized

bearer_scheme = HTTPBearer(
    auto_error=False, scheme_name="bearerKey", description="`Authorization: Bearer <API key>`"
)
header_scheme = APIKeyHeader(
    name="X-API-Key", auto_error=False, scheme_name="apiKeyHeader", description="`X-API-Key: <API key>`"
)


def presented_key(request: Request) -> str | None:
    """The key a request carries, if any (Bearer first, then X-API-Key)."""
    authorization = request.headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.headers.get("x-api-key") or None


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8", "surrogateescape")).digest()


def valid_key(candidate: str, keys: Sequence[SecretStr]) -> bool:
    given = _digest(candidate)
    found = False
    for key in keys:
        # No early exit: every configured key is compared whatever the outcome.
        found |= hmac.compare_digest(given, _digest(key.get_secret_value()))
    return found


def require_write_key(
    request: Request,
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    _header: Annotated[str | None, Depends(header_scheme)],
) -> None:
    """Dependency of every write route: 403 when writes are off, 401 without a valid key."""
    keys = request.app.state.settings.api_keys
    if not keys:
        raise Forbidden(
            "Writes are turned off on this server: no API key is configured (NEWSFACTS_API_KEYS)."
        )
    key = presented_key(request)
    if key is None:
        raise Unauthorized("This operation needs an API key: 'Authorization: Bearer <key>' or 'X-API-Key'.")
    if not valid_key(key, keys):
        raise Unauthorized("The API key is not valid.")


WriteKeyDep = Depends(require_write_key)
