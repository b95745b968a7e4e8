"""HTTP benchmark: newsfacts under load from wrk, beside two references on the same SQLite file.

    python bench/http_load.py --sqlite bench/data/bench.db \
        [--postgres postgresql+psycopg://postgres@127.0.0.1/newsfacts_bench] [--duration 10]

Build the database first with bench/build_db.py; one built by an older tree is brought to the
current schema with ``NEWSFACTS_DATABASE_URL=... newsfacts db upgrade`` (the servers do not migrate).
For each database and for one and two uvicorn workers, the server runs on core 0 (one worker) and
wrk on core 1, 16 connections (search also with one), and the table gives requests/s, p50, p99 and
errors per endpoint. In the same run, on the same
SQLite file: the ceiling (bench/ceiling.py: FastAPI + sqlite3 + orjson, the same 20-row page) and
Datasette's JSON API (installed in its own virtual environment, bench/.venv-datasette, on first use).
Results go to bench/results/ and a summary is appended to bench/RESULTS.md with the command line.

On a shared machine only figures measured side by side compare. ``--baseline TREE`` serves another
work tree's code (with its own ``.venv``) beside this one's, and measures each endpoint on both, one
right after the other, the order swapped every round (``--rounds``); ``--baseline-sqlite`` and
``--baseline-postgres`` give it other databases (a copy at the older schema, when this tree migrates
further). ``--only`` keeps the endpoints whose label matches a regular expression.

``--paired`` keeps the ceiling's server running beside newsfacts (both on core 0, one loaded at a
time) and measures it again right before each endpoint with 16 connections: the ``share`` column is
the endpoint's requests/s over that ceiling's, measured seconds apart, so a host whose speed drifts
during the run (the ceiling read 738 req/s at the start of one run here and 1,306 in another)
weighs on both alike.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DATASETTE_VENV = ROOT / "bench" / ".venv-datasette"


@dataclass
class Row:
    code: str
    database: str
    workers: int
    endpoint: str
    connections: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    ceiling_rps: float | None = None
    """With ``--paired``: the ceiling's requests/s measured right before this row."""


def wait_for(url: str, seconds: float = 60) -> float:
    started = time.monotonic()
    last = "no answer"
    while time.monotonic() - started < seconds:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return time.monotonic() - started
        except urllib.error.HTTPError as error:
            # /ready's 503 says why (a schema behind its head, the model not loaded): keep it for the
            # error, or a database that needs `newsfacts db upgrade` only shows as a timeout.
            last = f"{error.code} {error.read().decode(errors='replace')[:300]}"
            time.sleep(0.05)
        except OSError as error:
            last = str(error)
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {seconds} s; last answer: {last}")


def settle(base: str, seconds: float = 60) -> None:
    """Returns once the server answers /health within 5 ms and a one-row page of articles within 25
    ms, three times running: the previous run's queue is drained. /health alone answers from the
    event loop while requests wrk left behind still run in worker threads: on PostgreSQL those of the
    offset page (1.4 s each) were still running when the cursor page was measured after it."""
    started = time.monotonic()
    quick = 0
    while time.monotonic() - started < seconds and quick < 3:
        answered = []
        for path, within in (("/health", 0.005), ("/articles?limit=1", 0.025)):
            sent = time.perf_counter()
            with urllib.request.urlopen(f"{base}{path}", timeout=30) as response:
                response.read()
            answered.append(time.perf_counter() - sent < within)
        quick = quick + 1 if all(answered) else 0
        if quick < 3:
            time.sleep(0.2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ms(value: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s|m)$", value)
    if match is None:
        print(f"wrk printed a latency this script cannot read: {value!r}", file=sys.stderr, flush=True)
        return float("nan")
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url: str, connections: int, duration: int) -> tuple[float, float, float, int]:
    # A 10 s timeout, so that a slow server is measured as slow rather than as failing.
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency", url]
    if shutil.which("taskset"):
        command = ["taskset", "-c", "1", *command]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = 0
    # The percentiles are matched on lines of their own: the thread stats' "+/- Stdev" column can end
    # in "50%" or "99%" too ("89.50%"), which gave the "nan" latencies of earlier runs.
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    if rps == 0:
        errors += 1
    for pattern in (
        r"Non-2xx or 3xx responses: (\d+)",
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
    ):
        match = re.search(pattern, out)
        if match:
            errors += sum(int(g) for g in match.groups())
    return rps, p50, p99, errors


def record(title: str, stamp: str, table: str, note: str = "") -> None:
    """Appends a run to bench/RESULTS.md: its title and time, the command that made it (this script
    with its arguments), ``note``, the load average at the end, and its table."""
    load = os.getloadavg()
    command = f"python bench/{Path(sys.argv[0]).name} " + " ".join(sys.argv[1:])
    with (ROOT / "bench" / "RESULTS.md").open("a") as results:
        results.write(
            f"\n## {title}, {stamp}\n\n`{command}`\n\n{note}Load average at the end: "
            f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}\n\n```\n{table}\n```\n"
        )


def get_json(url: str) -> dict:  # type: ignore[type-arg]
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def start(command: list[str], env: dict[str, str], pin: bool, cwd: Path = ROOT) -> subprocess.Popen[bytes]:
    if pin and shutil.which("taskset"):
        command = ["taskset", "-c", "0", *command]
    return subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def words_for_search(path: Path) -> tuple[str, str]:
    """A very common word and a rare one (present in a handful of articles), read from the data."""
    connection = sqlite3.connect(path)
    titles = [row[0] for row in connection.execute("SELECT title FROM article WHERE id % 997 = 0 LIMIT 200")]
    connection.close()
    rare = "cocoa"
    for title in titles:
        for word in re.findall(r"[A-Za-z]{7,}", title):
            rare = word.lower()
            break
    return "said", rare


def endpoints(base: str, common: str, rare: str) -> list[tuple[str, str, int]]:
    first = get_json(f"{base}/articles?limit=20")
    article_id = first["items"][0]["id"]
    speaker = get_json(f"{base}/actors?sort=-quotes&limit=1")["items"][0]["slug"]
    topic = get_json(f"{base}/topics?limit=1")["items"]
    deep_page = max(1, first["total"] // 20 - 10)
    # The cursor that continues from that deep page: how a client walks a whole result.
    deep_cursor = get_json(f"{base}/articles?limit=20&page={deep_page}")["next_cursor"]
    found = [
        ("/articles first page", "/articles?limit=20", 16),
        ("/articles deep page (offset)", f"/articles?limit=20&page={deep_page}", 16),
        ("/articles deep page (cursor)", f"/articles?limit=20&cursor={deep_cursor}", 16),
        (
            "/articles/{id} + facts",
            f"/articles/{article_id}?include=quotes&include=actors&include=positions",
            16,
        ),
        ("/quotes?speaker=", f"/quotes?speaker={speaker}", 16),
        ("/actors?q= prefix", "/actors?q=bla", 16),
    ]
    if topic:
        found.append(("/topics/{id}", f"/topics/{topic[0]['id']}", 16))
    for label, word in (("common", common), ("rare", rare)):
        found.append((f"/search {label} '{word}'", f"/search?q={word}", 16))
        found.append((f"/search {label} '{word}'", f"/search?q={word}", 1))
    return found


@dataclass(frozen=True)
class Code:
    """A work tree whose app is served: its commit names it in the table."""

    tree: Path
    name: str

    @classmethod
    def of(cls, tree: Path) -> Code:
        tree = tree.resolve()
        commit = subprocess.run(
            ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(tree), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        return cls(tree, (commit or tree.name) + ("+" if dirty else ""))

    @property
    def python(self) -> str:
        venv = self.tree / ".venv" / "bin" / "python"
        return str(venv) if self.tree != ROOT and venv.exists() else PYTHON


def start_newsfacts(code: Code, url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    # One load generator on one address would only measure the rate limiter's 429s.
    env = {
        **os.environ,
        "NEWSFACTS_DATABASE_URL": url,
        "NEWSFACTS_DB_POOL_SIZE": "40",
        "NEWSFACTS_RATE_LIMIT_ENABLED": "false",
    }
    command = [
        code.python,
        "-m",
        "uvicorn",
        "app.main:create_app",
        "--factory",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return start(command, env, pin=workers == 1, cwd=code.tree), f"http://127.0.0.1:{port}"


def bench_newsfacts(
    servers: list[tuple[Code, str]],
    label: str,
    workers: int,
    duration: int,
    words: tuple[str, str],
    only: re.Pattern[str] | None,
    swap: bool,
    ceiling: str | None = None,
) -> list[Row]:
    """Each endpoint on each (code, database URL) in turn; ``swap`` reverses the order."""
    started = []
    try:
        for code, url in servers:
            process, base = start_newsfacts(code, url, workers)
            started.append((code, process, base))
        for code, _, base in started:
            ready = wait_for(f"{base}/ready")
            print(f"{label}, {workers} worker(s), {code.name}: ready after {ready:.1f} s", flush=True)
        # The same paths for every server: the first one's data decides them.
        paths = endpoints(started[0][2], *words)
        order = started[::-1] if swap else started
        rows = []
        for name, path, connections in paths:
            if only is not None and not only.search(name):
                continue
            for code, _, base in order:
                # wrk stops with up to one request per connection still queued in the server: let
                # the server finish them, so that no run (least of all a one-client run) measures
                # the last.
                paired = wrk(ceiling, 16, duration)[0] if ceiling and connections == 16 else None
                settle(base)
                rps, p50, p99, errors = wrk(base + path, connections, duration)
                rows.append(Row(code.name, label, workers, name, connections, rps, p50, p99, errors, paired))
                share = f"  share {rps / paired:4.0%} of {paired:.0f}" if paired else ""
                print(
                    f"  {code.name:<9} {name:<32} c={connections:<3} {rps:8.0f} req/s  p50 {p50:7.1f} ms  "
                    f"p99 {p99:7.1f} ms  errors {errors}{share}",
                    flush=True,
                )
        return rows
    finally:
        for _, process, _ in started:
            stop(process)


def start_ceiling(sqlite_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """The ceiling's server (bench/ceiling.py) on core 0, and its page's URL once it answers."""
    port = free_port()
    env = {**os.environ, "NEWSFACTS_BENCH_DB": str(sqlite_path)}
    server = start(
        [
            PYTHON,
            "-m",
            "uvicorn",
            "bench.ceiling:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env,
        pin=True,
    )
    url = f"http://127.0.0.1:{port}/articles"
    wait_for(url)
    return server, url


def bench_references(sqlite_path: Path, duration: int) -> list[Row]:
    rows = []
    server, url = start_ceiling(sqlite_path)
    try:
        rps, p50, p99, errors = wrk(url, 16, duration)
        rows.append(Row("ceiling", "sqlite", 1, "ceiling: sqlite3 + orjson", 16, rps, p50, p99, errors))
    finally:
        stop(server)
    if not (DATASETTE_VENV / "bin" / "datasette").exists():
        subprocess.run([PYTHON, "-m", "venv", str(DATASETTE_VENV)], check=True)
        subprocess.run(
            [str(DATASETTE_VENV / "bin" / "pip"), "install", "-q", "datasette==0.65.5"], check=True
        )
    port = free_port()
    server = start(
        [
            str(DATASETTE_VENV / "bin" / "datasette"),
            "serve",
            str(sqlite_path),
            "--port",
            str(port),
            "--setting",
            "default_page_size",
            "20",
            # Facet suggestions cost seconds per page of a large table; a Datasette user turns them off.
            "--setting",
            "suggest_facets",
            "off",
        ],
        dict(os.environ),
        pin=True,
    )
    try:
        columns = "&".join(
            f"_col={c}"
            for c in ("slug", "title", "standfirst", "section", "published_on", "source", "url", "word_count")
        )
        url = f"http://127.0.0.1:{port}/{sqlite_path.stem}/article.json?_size=20&_sort_desc=published_on&{columns}"
        wait_for(url)
        rps, p50, p99, errors = wrk(url, 16, duration)
        rows.append(Row("datasette", "sqlite", 1, "Datasette 0.65.5 JSON", 16, rps, p50, p99, errors))
    finally:
        stop(server)
    for row in rows:
        print(
            f"  {row.endpoint:<32} c=16  {row.requests_per_s:8.0f} req/s  p50 {row.p50_ms:7.1f} ms  "
            f"p99 {row.p99_ms:7.1f} ms  errors {row.errors}",
            flush=True,
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sqlite", type=Path, default=ROOT / "bench" / "data" / "bench.db")
    parser.add_argument("--postgres", default=None)
    parser.add_argument(
        "--skip-sqlite",
        action="store_true",
        help="newsfacts on PostgreSQL only (the references still read SQLite)",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--only", type=re.compile, default=None, help="endpoints whose label matches")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--no-references", action="store_true", help="no ceiling, no Datasette")
    parser.add_argument("--baseline", type=Path, default=None, help="another work tree to compare with")
    parser.add_argument("--baseline-sqlite", type=Path, default=None)
    parser.add_argument("--baseline-postgres", default=None)
    parser.add_argument(
        "--paired", action="store_true", help="the ceiling measured again before each endpoint"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    words = words_for_search(args.sqlite)
    this = Code.of(ROOT)
    baseline = Code.of(args.baseline) if args.baseline else None
    targets = []
    if not args.skip_sqlite:
        targets.append(
            (
                "sqlite",
                f"sqlite:///{args.sqlite.resolve()}",
                f"sqlite:///{(args.baseline_sqlite or args.sqlite).resolve()}",
            )
        )
    if args.postgres:
        targets.append(("postgresql", args.postgres, args.baseline_postgres or args.postgres))
    rows: list[Row] = []
    ceiling_server, ceiling = start_ceiling(args.sqlite) if args.paired else (None, None)
    try:
        for round_ in range(args.rounds):
            if not args.no_references:
                rows += bench_references(args.sqlite, args.duration)
            for label, url, baseline_url in targets:
                servers = [(this, url)] + ([(baseline, baseline_url)] if baseline is not None else [])
                for workers in args.workers:
                    swap = round_ % 2 == 1
                    rows += bench_newsfacts(
                        servers, label, workers, args.duration, words, args.only, swap, ceiling
                    )
    finally:
        if ceiling_server is not None:
            stop(ceiling_server)

    lines = [
        f"{'code':<9} {'database':<10} {'workers':>7} {'endpoint':<34} {'conns':>5} {'req/s':>8} "
        f"{'p50 ms':>8} {'p99 ms':>8} {'errors':>6}"
        + (f" {'ceiling':>8} {'share':>6}" if args.paired else "")
    ]
    for r in rows:
        paired = ""
        if r.ceiling_rps:
            paired = f" {r.ceiling_rps:>8.0f} {r.requests_per_s / r.ceiling_rps:>6.0%}"
        lines.append(
            f"{r.code:<9} {r.database:<10} {r.workers:>7} {r.endpoint:<34} {r.connections:>5} "
            f"{r.requests_per_s:>8.0f} {r.p50_ms:>8.1f} {r.p99_ms:>8.1f} {r.errors:>6}{paired}"
        )
    table = "\n".join(lines)
    print(table)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"http-{stamp}.json").write_text(json.dumps([asdict(r) for r in rows], indent=2))
    record("HTTP", stamp, table)


if __name__ == "__main__":
    main()
