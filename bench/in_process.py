"""Per-request cost of endpoints in process: ASGI calls through the whole app (middleware included),
no HTTP server and no load generator, so the figures are the app's own and steadier than wrk's.

    python bench/in_process.py [--database sqlite:///bench/data/bench.db] [--requests 300] PATH...

Each PATH (with its query string) is called 20 times to warm up, then ``--requests`` times; the mean
time per request, in wall time and in this process's CPU time (which other processes on the machine
disturb less), and the size of the answer are printed.

To check that a change leaves the answers as they were: ``--sample N`` prints about N paths read from
the database (topics, articles and list pages by id, slug and cursor, and some that are not found);
``--save FILE --requests 0 --paths-file PATHS`` writes each path's status, content type and body, one
JSON line each, to compare (``cmp``) with what another tree's code saves.
"""

from __future__ import annotations

import argparse
import asyncio
import json
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
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(requests):
            await call(app, target)
        elapsed = (time.perf_counter() - started) / requests
        cpu = (time.process_time() - cpu) / requests
        print(
            f"{target}: {elapsed * 1000:.2f} ms/request, CPU {cpu * 1000:.2f} ms, status {status}, "
            f"{len(body)} bytes",
            flush=True,
        )


async def save(app: Any, targets: list[str], path: Path) -> None:
    with path.open("w") as out:
        for target in targets:
            status, body = await call(app, target)
            line = {"path": target, "status": status, "body": body.decode()}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


async def json_of(app: Any, target: str) -> Any:
    status, body = await call(app, target)
    return json.loads(body) if status == 200 else None


async def sample(app: Any, size: int) -> list[str]:
    """Paths over what the database holds: each kind of record by id and by slug, list pages by offset
    and by cursor, with and without filters, and a few that answer 404 or 422."""
    n = max(1, size // 10)
    paths: list[str] = []
    topics = (await json_of(app, f"/topics?limit={min(n, 100)}"))["items"]
    for topic in topics:
        paths += [
            f"/topics/{topic['id']}",
            f"/topics/{topic['slug']}",
            f"/topics/{topic['id']}?actors=20&timeline=actor",
            f"/topics/{topic['id']}?actors=1",
        ]
    first = await json_of(app, "/articles?limit=20")
    deep = max(1, first["total"] // 20 - 10)
    page_numbers = sorted({1, 2, 3, max(1, deep // 2), deep})
    for page in page_numbers:
        listed = await json_of(app, f"/articles?limit=20&page={page}")
        paths.append(f"/articles?limit=20&page={page}")
        if listed is None:
            continue
        cursor = listed["next_cursor"]
        if cursor:
            paths.append(f"/articles?limit=20&cursor={cursor}")
        for item in listed["items"][: max(1, n // len(page_numbers))]:
            paths += [
                f"/articles/{item['id']}?include=quotes&include=actors&include=positions",
                f"/articles/{item['slug']}",
            ]
    speakers = (await json_of(app, f"/actors?sort=-quotes&limit={min(n, 100)}"))["items"]
    for speaker in speakers:
        paths += [f"/quotes?speaker={speaker['slug']}", f"/actors/{speaker['id']}"]
        paths.append(f"/actors?q={speaker['name'][:3]}")
    paths += ["/topics/999999999", "/topics/no-such-topic", "/articles/999999999", "/topics/-x"]
    paths += ["/quotes?limit=20", "/positions?limit=20", "/actors?limit=20", "/topics?limit=20"]
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default=f"sqlite:///{ROOT / 'bench' / 'data' / 'bench.db'}")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--paths-file", type=Path, help="paths to call, one a line, after any given")
    parser.add_argument("--save", type=Path, help="write each answer here, one JSON line each")
    parser.add_argument("--sample", type=int, help="print about this many paths to check answers with")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    settings = Settings(database_url=args.database, load_model_on_startup=False, rate_limit_enabled=False)
    app = create_app(settings)
    if args.sample:
        print("\n".join(asyncio.run(sample(app, args.sample))))
        return
    paths = list(args.paths)
    if args.paths_file:
        paths += [line for line in args.paths_file.read_text().splitlines() if line]
    if args.save:
        asyncio.run(save(app, paths, args.save))
    if args.requests:
        asyncio.run(measure(app, paths, args.requests))


if __name__ == "__main__":
    main()
