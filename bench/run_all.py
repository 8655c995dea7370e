"""Every benchmark, one after another: ``make bench`` (full) or ``--smoke`` (small, one run).

    .venv/bin/python bench/run_all.py [--smoke] [--only NAME[,NAME]] [--work DIR]

A full run builds the branch-scale database once (``benchdata``: cached under
``.bench-cache/``, keyed by the generator's version) and prints each bench's figures as
ratios to baselines measured in the same run. ``--smoke`` runs each bench on small data,
once, in ``--work`` (a temporary folder by default): the suite runs it so that no benchmark
can stop working unnoticed; its figures mean nothing.

``--postgres`` runs the benches that read a database on a throw-away PostgreSQL server
started here (the tests' ``tests/pg_server.py``): the generated branches are built on it
(``benchdata``, minutes for the branch), and the benches made only for SQLite's file
(backup, the search's own file, the residents pane's memory cases) are left out.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import benchdata

HERE = Path(__file__).resolve().parent


def benches(work: Path, smoke: bool) -> list[tuple[str, list[str]]]:
    """Each bench script and its arguments; smoke arguments keep every run to seconds."""
    if not smoke:
        return [
            ("bench_lists.py", []),
            ("bench_generate.py", []),
            ("bench_load.py", []),
            ("bench_stats.py", []),
            ("bench_figure_lists.py", []),
            # Reads the cached branch: it holds the 300,000 residents the bench asks for.
            ("bench_search.py", ["--db", str(benchdata.generated("branch"))]),
            ("bench_disputes.py", ["--db", str(work / "disputes.db")]),
            ("bench_roster.py", ["--db", f"sqlite:///{work / 'roster.db'}"]),
            ("bench_residents_pane.py", ["--db-dir", str(work)]),
            ("bench_roster_keys.py", []),
            ("bench_terminal.py", []),
            ("bench_crash.py", ["--db-dir", str(work)]),
            ("bench_backup.py", ["--db-dir", str(work)]),
        ]
    return [
        ("bench_lists.py", ["--smoke"]),
        ("bench_generate.py", ["--smoke"]),
        ("bench_load.py", ["--smoke"]),
        ("bench_stats.py", ["--smoke"]),
        ("bench_figure_lists.py", ["--smoke"]),
        (
            "bench_search.py",
            ["--db", str(work / "search.db"), "--residents", "500", "--repeat", "1"],
        ),
        (
            "bench_disputes.py",
            ["--db", str(work / "disputes.db"), "--disputes", "60", "--repeat", "1"],
        ),
        (
            "bench_roster.py",
            ["--db", f"sqlite:///{work / 'roster.db'}", "--rooms", "2", "--repeat", "1"],
        ),
        (
            "bench_residents_pane.py",
            ["--db-dir", str(work), "--smoke"],
        ),
        ("bench_roster_keys.py", ["--smoke"]),
        ("bench_terminal.py", ["--smoke"]),
        ("bench_crash.py", ["--db-dir", str(work), "--rounds", "4", "--no-postgres"]),
        ("bench_backup.py", ["--db-dir", str(work), "--smoke"]),
    ]


# Benches that build their own PostgreSQL databases: they get the server's URL, not the
# shared branches (whose SQLite file bench_generate reads as its source).
OWN_DATABASES = ("bench_generate.py", "bench_roster.py", "bench_terminal.py", "bench_crash.py")


def postgres_benches(server_url: str, smoke: bool) -> list[tuple[str, list[str]]]:
    """The benches that run on PostgreSQL, and their arguments there."""
    once = ["--smoke"] if smoke else []
    roster_db = server_url.rsplit("/", 1)[0] + "/bench_roster"
    few_rooms = ["--rooms", "2", "--repeat", "1"] if smoke else []
    return [
        ("bench_lists.py", once),
        ("bench_stats.py", once),
        ("bench_generate.py", ["--postgres", server_url, "--only-postgres", *once]),
        ("bench_roster.py", ["--db", roster_db, *few_rooms]),
        ("bench_terminal.py", ["--postgres", *once]),
        ("bench_residents_pane.py", ["--smoke"] if smoke else ["--no-memory"]),
    ]


def _fresh_database(server_url: str, name: str) -> None:
    import sqlalchemy as sa

    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
            connection.exec_driver_sql(f"CREATE DATABASE {name}")
    finally:
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small data, one run each")
    parser.add_argument(
        "--only", help="run only the benches whose file names contain this (a,b: either)"
    )
    parser.add_argument("--work", type=Path, help="folder for the benches' own files")
    parser.add_argument("--postgres", action="store_true", help="on a throw-away PostgreSQL")
    args = parser.parse_args(argv)
    if args.postgres:
        with benchdata.postgres_server() as server_url:
            return _run_on_postgres(server_url, args)
    with tempfile.TemporaryDirectory(prefix="policeroom-bench-") as scratch:
        work = args.work or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, PYTHONPATH=str(HERE))
        planned = benches(work, args.smoke)
        known = {script for script, _ in planned}
        for path in sorted(HERE.glob("bench_*.py")):
            if path.name not in known:
                # A bench added without an entry above: run as is in a full run; a smoke run
                # says it was left out rather than guess its small arguments.
                if args.smoke:
                    print(f"-- {path.name}: no smoke arguments in run_all.py, not run")
                else:
                    planned.append((path.name, []))
        return _run_each(planned, args.only, lambda _script: env)


def _run_each(
    planned: list[tuple[str, list[str]]],
    only: str | None,
    env_of: Callable[[str], dict[str, str]],
    where: str = "",
) -> int:
    """Each bench in its own process, one after another; the first failure stops the run."""
    for script, script_args in planned:
        if only and not any(name in script for name in only.split(",")):
            continue
        print(f"== {script} {' '.join(script_args)}{where}", flush=True)
        started = time.perf_counter()
        command = [sys.executable, str(HERE / script), *script_args]
        done = subprocess.run(command, env=env_of(script))
        if done.returncode != 0:
            print(f"{script} failed (exit {done.returncode})", file=sys.stderr)
            return done.returncode
        print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)
    return 0


def _run_on_postgres(server_url: str, args: argparse.Namespace) -> int:
    _fresh_database(server_url, "bench_roster")
    shared = dict(os.environ, PYTHONPATH=str(HERE), POLICEROOM_BENCH_POSTGRES=server_url)
    own = dict(os.environ, PYTHONPATH=str(HERE))
    own.pop("POLICEROOM_BENCH_POSTGRES", None)
    return _run_each(
        postgres_benches(server_url, args.smoke),
        args.only,
        lambda script: own if script in OWN_DATABASES else shared,
        " (PostgreSQL)",
    )


if __name__ == "__main__":
    raise SystemExit(main())
