"""Every benchmark, one after another: ``make bench`` (full) or ``--smoke`` (small, one run).

    .venv/bin/python bench/run_all.py [--smoke] [--only NAME] [--work DIR]

A full run builds the branch-scale database once (``benchdata``: cached under
``.bench-cache/``, keyed by the generator's version) and prints each bench's figures as
ratios to baselines measured in the same run. ``--smoke`` runs each bench on small data,
once, in ``--work`` (a temporary folder by default): the suite runs it so that no benchmark
can stop working unnoticed; its figures mean nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchdata

HERE = Path(__file__).resolve().parent


def benches(work: Path, smoke: bool) -> list[tuple[str, list[str]]]:
    """Each bench script and its arguments; smoke arguments keep every run to seconds."""
    if not smoke:
        return [
            ("bench_lists.py", []),
            ("bench_generate.py", []),
            ("bench_stats.py", []),
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
        ("bench_stats.py", ["--smoke"]),
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small data, one run each")
    parser.add_argument("--only", help="run only the bench whose file name contains this")
    parser.add_argument("--work", type=Path, help="folder for the benches' own files")
    args = parser.parse_args(argv)
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
        for script, script_args in planned:
            if args.only and args.only not in script:
                continue
            print(f"== {script} {' '.join(script_args)}", flush=True)
            started = time.perf_counter()
            done = subprocess.run([sys.executable, str(HERE / script), *script_args], env=env)
            if done.returncode != 0:
                print(f"{script} failed (exit {done.returncode})", file=sys.stderr)
                return done.returncode
            print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
