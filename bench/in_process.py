"""Per-request cost of endpoints in process: ASGI calls through the whole app (middleware included),
no HTTP server and no load generator, so the figures are the app's own and steadier than wrk's.

    python bench/in_process.py [--database sqlite:///bench/data/bench.db] [--requests 300] PATH...

Each PATH (with its query string) is called 20 times to warm up, then ``--requests`` times; the mean
time per request and the size of the answer are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.main import create_app  # noqa: E402
from app.settings import Settings  # noqa: E402


async def call(app: Any, target: str) -> tuple[int, bytes]:
    path, _, query = target.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"bench")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


async def measure(app: Any, targets: list[str], requests: int) -> None:
    for target in targets:
        for _ in range(20):
            status, body = await call(app, target)
        started = time.perf_counter()
        for _ in range(requests):
            await call(app, target)
        elapsed = (time.perf_counter() - started) / requests
        print(f"{target}: {elapsed * 1000:.2f} ms/request, status {status}, {len(body)} bytes", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default=f"sqlite:///{ROOT / 'bench' / 'data' / 'bench.db'}")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    settings = Settings(database_url=args.database, load_model_on_startup=False, rate_limit_enabled=False)
    asyncio.run(measure(create_app(settings), args.paths, args.requests))


if __name__ == "__main__":
    main()
