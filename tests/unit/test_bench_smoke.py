"""Every benchmark still runs: ``bench/run_all.py --smoke`` on small data, once each.

Not timed, and no figure is checked (the machine is shared; benchmarks report, tests
prove): this only keeps a bench from breaking unnoticed when the code it drives changes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_every_benchmark_runs_on_small_data(tmp_path: Path) -> None:
    env = dict(os.environ, POLICEROOM_BENCH_CACHE=str(tmp_path / "cache"))
    done = subprocess.run(
        [sys.executable, str(BENCH / "run_all.py"), "--smoke", "--work", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = done.stdout.splitlines()
    ran = {line.split()[1] for line in lines if line.startswith("== bench_")}
    left_out = {line.split()[1][:-1] for line in lines if line.startswith("-- bench_")}
    assert ran | left_out == {path.name for path in BENCH.glob("bench_*.py")}
    assert left_out == set(), "give each bench smoke arguments in run_all.py"
    # The lists bench printed its figures, each a ratio to its baseline.
    assert "search 张 (first time): first rows" in done.stdout
    assert "its count, after the rows (first time)" in done.stdout
    assert "roster ] all rooms (HQ): first 4 rooms" in done.stdout
    assert "report summary: branch / training" in done.stdout
    assert "one down, residents" in done.stdout  # the pty bench drew the desk and moved


def test_the_benchmarks_run_on_postgresql(tmp_path: Path) -> None:
    """``make bench BENCH_ARGS=--postgres``: the same figures on a throw-away server, the
    generated branches built on it."""
    env = dict(os.environ, POLICEROOM_BENCH_CACHE=str(tmp_path / "cache"))
    done = subprocess.run(
        [sys.executable, str(BENCH / "run_all.py"), "--postgres", "--smoke"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "building the small branch into PostgreSQL" in done.stdout
    assert "one page of residents: service / raw psycopg" in done.stdout
    assert "first screen: all rooms" in done.stdout
    assert "pg generate per resident / raw executemany" in done.stdout
    assert "database: PostgreSQL" in done.stdout  # the pty bench's desk ran on the server
