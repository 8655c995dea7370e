"""``fixtures load`` at small and branch scale: time and peak memory, against raw executemany.

    .venv/bin/python bench/bench_load.py [--repeat 3]
    .venv/bin/python bench/bench_load.py --smoke    # small data, one run, in this process

The files are the unmasked exports of the cached generated branches (``fixtures export``,
made once and cached next to them). Each figure is a whole process with its own peak
(VmHWM, as ``bench_generate`` measures it), and runs take turns; the median of ``--repeat``
is printed:

* ``fixtures load`` of the small and of the branch export into an empty SQLite file;
* the baseline, at either scale: raw ``sqlite3`` ``executemany`` of the same database's
  resident rows into an empty ``resident`` table with its indexes (``bench_generate``'s).

Printed: the load per resident against the baseline at either scale, and branch ÷ small of
the load's peak memory (issue 11: flat in the data's size, the baseline's own ratio being
what flat looks like) and of its time per resident. Before the two-pass load a branch's
load held every checked record: 1.35 GB, 8.6× the small load's 158 MB; after it, 182 MB
against 153 MB (1.19×, the baseline's own ratio).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import bench_generate
import benchdata

from policeroom.fixtures.generate import SCALES


def exported(scale: str, *, smoke: bool) -> Path:
    """The unmasked export of the cached generated ``scale``, made once."""
    source = benchdata.generated(scale, smoke=smoke)
    path = benchdata.CACHE / f"export-{source.stem.removeprefix('generated-')}.json"
    if path.exists():
        return path
    for stale in benchdata.CACHE.glob(f"export-{scale}-*.json"):
        stale.unlink(missing_ok=True)  # another generator version's: never read again
    print(f"exporting the {scale} branch into {path} (once; cached) …", flush=True)
    from policeroom import fixtures
    from policeroom.db import Database, sqlite_url
    from policeroom.services.core.context import ServiceContext

    database = Database.open(sqlite_url(source))
    try:
        # The export writes a partial file and renames it: a stopped run leaves none.
        fixtures.export(ServiceContext(database), path, unmasked="benchmark")
    finally:
        database.dispose()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="small data, one run")
    args = parser.parse_args(argv)
    repeat = 1 if args.smoke else args.repeat
    scales = ("small",) if args.smoke else ("small", "branch")
    scratch = benchdata.CACHE / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    files = {scale: exported(scale, smoke=args.smoke) for scale in scales}
    sources = {scale: benchdata.generated(scale, smoke=args.smoke) for scale in scales}
    turns: dict[tuple[str, str], list[dict[str, float]]] = {}
    for _ in range(repeat):
        for scale in scales:
            for case, source in (("load", files[scale]), ("raw", sources[scale])):
                out = scratch / f"bench-load-{case}.db"
                found = bench_generate.run(case, scale, source, out, smoke=args.smoke)
                turns.setdefault((case, scale), []).append(found)
    figures = {key: bench_generate.medians(runs) for key, runs in turns.items()}
    small, big = scales[0], scales[-1]
    residents = {scale: SCALES[scale].residents for scale in scales}
    for scale in scales:
        load, raw = figures[("load", scale)], figures[("raw", scale)]
        size = files[scale].stat().st_size / 2**20
        print(
            f"load {scale} ({size:.0f} MB of JSON, {residents[scale]:,} residents): "
            f"{load['seconds']:.1f} s, {load['mb']:.0f} MB peak; raw executemany of its "
            f"residents: {raw['seconds']:.2f} s, {raw['mb']:.0f} MB peak"
        )
        print(
            benchdata.ratio_line(
                f"load per resident / raw executemany, {scale}",
                load["seconds"] * 1000,
                raw["seconds"] * 1000,
                None,
            )
        )
    load_small, load_big = figures[("load", small)], figures[("load", big)]
    raw_small, raw_big = figures[("raw", small)], figures[("raw", big)]
    print(
        f"{'load memory: ' + big + ' / small':48} {load_big['mb']:9.0f} MB / "
        f"{load_small['mb']:8.0f} MB = {load_big['mb'] / load_small['mb']:6.2f}×  "
        f"(raw executemany: {raw_big['mb'] / raw_small['mb']:.2f}×; the load before "
        "streaming: 8.6×)"
    )
    per_resident = (load_big["seconds"] / residents[big]) / (
        load_small["seconds"] / residents[small]
    )
    print(
        f"{'load time per resident: ' + big + ' / small':48} {per_resident:6.2f}×  "
        f"(raw executemany: "
        f"{(raw_big['seconds'] / residents[big]) / (raw_small['seconds'] / residents[small]):.2f}×)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
