"""The residents pane through the real app at branch scale: first rows, keystrokes, memory.

    .venv/bin/python bench/bench_residents_pane.py [--scale branch] [--repeat 3] [--rebuild]
    .venv/bin/python bench/bench_residents_pane.py --scale small --repeat 1   # a quick smoke run
    .venv/bin/python bench/bench_residents_pane.py --postgres [URL]   # the same on PostgreSQL

Generates (``fixtures.generate``, about a minute for ``branch``) or reuses a SQLite file of the
chosen scale and one of the ``small`` scale, then drives ``PoliceRoomApp`` headless at 80x24
with Pilot keys, as a desk officer would: start, ``2`` for the residents, ``/`` and a search
typed key by key (pinyin initials, hanzi, a phone tail), a burst typed at once, ``escape``,
``end`` and ``pagedown``. Every time is taken at the frame that shows the result: the app's
display call is wrapped, so a time is "key sent" to "first frame painted with it".

Baselines from the same run: a bare Textual app (one ``Static``) to its first frame, the same
app on the ``small`` database, and a Textual ``DataTable`` given ``--datatable-rows`` resident
rows (read beforehand) to its first frame. Memory is measured in a fresh process per case:
the peak RSS over the case minus the RSS before it (it includes SQLite's page caches, but
misses Python memory freed before the case and reused in it), and the tracemalloc peak of
every Python allocation in the case (a second run).
Prints medians in milliseconds and ratios; nothing is asserted (the machine is shared).
On PostgreSQL (``--postgres``, or ``run_all.py --postgres``, which shares its server) the
generated branches are read there and the memory cases, which measure SQLite's files, are
left out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import benchdata
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from policeroom import fixtures
from policeroom.clock import SYSTEM_CLOCK
from policeroom.db import Database, sqlite_url, upgrade
from policeroom.fixtures.generate import REFERENCE, SCALES
from policeroom.models.audit import Role
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.services.people import residents
from policeroom.services.people.residents import ResidentQuery, ResidentRow
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.people.residents_pane import ResidentsPane, gender_age

SIZE = (80, 24)
WAIT = 120.0  # seconds before a frame that never comes is reported as a failure


# --- the databases ---------------------------------------------------------------------------


def database_path(folder: Path, scale: str, seed: int, rebuild: bool) -> benchdata.Location:
    """A generated database of ``scale``: the shared cached one (``benchdata``) unless
    ``rebuild`` asks for a fresh one in ``folder``."""
    if not rebuild or benchdata.SERVER:
        return benchdata.generated(scale, seed=seed)
    path = folder / f"policeroom-bench-pane-{scale}-s{seed}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    print(f"generating {scale} (seed {seed}) into {path} …", flush=True)
    started = time.perf_counter()
    database = Database.open(sqlite_url(path))
    try:
        upgrade(database.engine)
        fixtures.generate(ServiceContext(database), scale, seed)
    finally:
        database.dispose()
    print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def desk_context(path: benchdata.Location) -> ServiceContext:
    """A desk that reads the whole of ``path`` (the pane's worst case: every room's
    residents), on the day the generated data is written around."""
    clock = SYSTEM_CLOCK.shifted(timedelta(days=(REFERENCE - SYSTEM_CLOCK.today()).days))
    return ServiceContext(
        Database.open(benchdata.url_of(path)),
        actor=Actor(login="bench", role=Role.TRAINER),
        clock=clock,
    )


@dataclass(frozen=True)
class Searches:
    """What is typed, taken from the data so every search has real matches."""

    initials: str  # two letters, e.g. "zs"
    hanzi: str  # surname and first given character, e.g. "张伟"
    phone_tail: str  # four digits
    burst: str  # a full pinyin, typed at once


def searches_for(ctx: ServiceContext) -> Searches:
    rows = residents.window(ctx, ResidentQuery(text="张"), 0, 200)
    row = next(r for r in rows if len(r.name) == 3 and r.name.startswith("张"))
    return Searches(
        initials="zs",
        hanzi=row.name[:2],
        phone_tail=row.phone_masked[-4:],
        burst=row.name_pinyin.replace(" ", ""),
    )


# --- timing frames ---------------------------------------------------------------------------


class Frames:
    """Sees every frame the app paints (headless too) and resolves waits at the first match."""

    def __init__(self, app: App[Any]) -> None:
        self.first: float | None = None
        self._waits: list[tuple[Callable[[], bool], asyncio.Future[float]]] = []
        paint = app._display

        def display(screen: Any, renderable: Any) -> None:
            paint(screen, renderable)
            if renderable is None:
                return
            now = time.perf_counter()
            if self.first is None:
                self.first = now
            for check, future in list(self._waits):
                if not future.done() and _holds(check):
                    future.set_result(now)
                    self._waits.remove((check, future))

        app._display = display  # type: ignore[method-assign]

    def when(self, check: Callable[[], bool]) -> asyncio.Future[float]:
        """The time of the first frame painted after now in which ``check()`` holds."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waits.append((check, future))
        return future


def _holds(check: Callable[[], bool]) -> bool:
    try:
        return check()
    except Exception:  # the widget is not mounted yet
        return False


async def at(future: asyncio.Future[float], what: str) -> float:
    try:
        return await asyncio.wait_for(future, WAIT)
    except TimeoutError:
        raise SystemExit(f"no frame showed {what} within {WAIT:.0f} s") from None


# --- the real app ----------------------------------------------------------------------------


def _pane(app: PoliceRoomApp) -> ResidentsPane:
    assert app.main_screen is not None
    return app.main_screen.query_one(ResidentsPane)


def _shows(app: PoliceRoomApp, text: str) -> bool:
    """The table lists the results of search ``text`` (its rows, or that there are none);
    their count may still be on its way (the table reads it after the rows)."""
    pane = _pane(app)
    table = pane.table
    return pane.query_filter.text == text and (table.cached_rows > 0 or table.total == 0)


def _counted(app: PoliceRoomApp, text: str) -> bool:
    """The results of search ``text`` and their count are on screen."""
    return _shows(app, text) and _pane(app).table.total is not None


async def drive_app(path: benchdata.Location, searches: Searches) -> dict[str, float]:
    """One session on ``path``; milliseconds per step, and ``matches:`` counts."""
    ctx = desk_context(path)
    out: dict[str, float] = {}
    try:
        started = time.perf_counter()
        app = PoliceRoomApp(ctx, language="en")
        frames = Frames(app)
        first_rows = frames.when(lambda: _shows(app, ""))
        first_count = frames.when(lambda: _counted(app, ""))
        async with app.run_test(size=SIZE) as pilot:
            shown = await at(first_rows, "the first residents")
            assert frames.first is not None
            out["first frame"] = (frames.first - started) * 1000
            out["first rows"] = (shown - started) * 1000
            out["first count"] = (await at(first_count, "the residents' count") - started) * 1000
            out["matches:first rows"] = _pane(app).table.total or 0
            await pilot.press("2")
            await _until(pilot, lambda: _pane(app).table.has_focus)
            pane = _pane(app)

            async def key(label: str, name: str, text: str) -> None:
                echo = frames.when(lambda: pane.search_box.value == text)
                results = frames.when(lambda: _shows(app, text))
                total = frames.when(lambda: _counted(app, text))
                sent = time.perf_counter()
                await pilot.press(name)
                out[f"{label} echo"] = (await at(echo, f"{text!r} typed") - sent) * 1000
                out[label] = (await at(results, f"results of {text!r}") - sent) * 1000
                out[f"{label} count"] = (await at(total, f"the count of {text!r}") - sent) * 1000
                out[f"matches:{label}"] = pane.table.total or 0

            async def typed(kind: str, text: str) -> None:
                await pilot.press("slash")
                await _until(pilot, lambda: pane.search_box.has_focus)
                for n in range(1, len(text) + 1):
                    await key(f"{kind}: {text[:n]}", text[n - 1], text[:n])
                await key(f"escape after {kind}", "escape", "")

            await typed("initials", searches.initials)
            await typed("hanzi", searches.hanzi)
            await typed("phone tail", searches.phone_tail)

            # A burst: every key queued before the app reads the first; one result shows.
            await pilot.press("slash")
            await _until(pilot, lambda: pane.search_box.has_focus)
            results = frames.when(lambda: _shows(app, searches.burst))
            sent = time.perf_counter()
            for char in searches.burst:
                app.post_message(events.Key(char, char))
            label = f"burst: {searches.burst}"
            out[label] = (await at(results, f"results of {searches.burst!r}") - sent) * 1000
            out[f"matches:{label}"] = pane.table.total or 0
            cleared = frames.when(lambda: _shows(app, ""))
            await pilot.press("escape")
            await at(cleared, "the whole list again")

            table = pane.table
            await _until(pilot, lambda: table.has_focus)
            last = frames.when(
                lambda: (
                    table.cursor_index == (table.total or 0) - 1 and table.highlighted is not None
                )
            )
            sent = time.perf_counter()
            await pilot.press("end")
            out["end (last row)"] = (await at(last, "the last row") - sent) * 1000
            top = frames.when(lambda: table.cursor_index == 0 and table.highlighted is not None)
            sent = time.perf_counter()
            await pilot.press("home")
            out["home (first row)"] = (await at(top, "the first row") - sent) * 1000
            for n in range(1, 4):
                before = table.cursor_index
                moved = frames.when(
                    lambda before=before: (
                        table.cursor_index > before and table.highlighted is not None
                    )
                )
                sent = time.perf_counter()
                await pilot.press("pagedown")
                out[f"pagedown {n}"] = (await at(moved, "the next page") - sent) * 1000
    finally:
        ctx.db.dispose()
    return out


async def _until(pilot: Pilot[Any], condition: Callable[[], bool]) -> None:
    for _ in range(2000):
        if _holds(condition):
            return
        await pilot.pause(0.01)
    raise SystemExit("the app never reached the state the benchmark waits for")


# --- baselines -------------------------------------------------------------------------------


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("policeroom")


class TableApp(App[None]):
    """The naive residents list: a ``DataTable`` given every row at once."""

    def __init__(self, rows: list[tuple[Text, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "Sex/age", "Phone", "Address", "Grid", "App")
        table.add_rows(self.rows)
        table.focus()


def table_rows(path: benchdata.Location, count: int) -> list[tuple[Text, ...]]:
    """The first ``count`` residents as the cells a ``DataTable`` would be given."""
    ctx = desk_context(path)
    try:
        today = ctx.clock.today()
        found: list[ResidentRow] = []
        while len(found) < count:
            # a service page is capped, so the rows come a page at a time
            page = residents.window(ctx, ResidentQuery(), len(found), count - len(found))
            if not page:
                break
            found.extend(page)
        return [
            (
                Text(r.name),
                Text(gender_age(r, today)),
                Text(r.phone_masked),
                Text(r.address),
                Text(r.grid_name),
                Text("✓" if r.anti_fraud_installed else ""),
            )
            for r in found
        ]
    finally:
        ctx.db.dispose()


async def drive_bare() -> dict[str, float]:
    started = time.perf_counter()
    app = BareApp()
    frames = Frames(app)
    painted = frames.when(lambda: True)
    async with app.run_test(size=SIZE):
        out = {"first frame": (await at(painted, "the bare app") - started) * 1000}
    return out


class PaneApp(App[None]):
    """The residents pane alone, to tell its memory from the rest of the desk's."""

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__()
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        yield ResidentsPane(self.ctx)


async def drive_pane(path: benchdata.Location, searches: Searches) -> dict[str, float]:
    """The pane alone: first rows, a search typed, cleared, the last row."""
    ctx = desk_context(path)
    try:
        started = time.perf_counter()
        app = PaneApp(ctx)
        frames = Frames(app)

        def shows(text: str) -> bool:
            pane = app.query_one(ResidentsPane)
            table = pane.table
            return pane.query_filter.text == text and bool(table.cached_rows or table.total == 0)

        first_rows = frames.when(lambda: shows(""))
        async with app.run_test(size=SIZE) as pilot:
            out = {"first rows": (await at(first_rows, "the pane's rows") - started) * 1000}
            pane = app.query_one(ResidentsPane)
            pane.focus()
            for text in (searches.initials, searches.hanzi, searches.phone_tail):
                await pilot.press("slash")
                found = frames.when(lambda text=text: shows(text))
                await pilot.press(*text)
                await at(found, f"results of {text!r}")
                cleared = frames.when(lambda: shows(""))
                await pilot.press("escape")  # clears the search and focuses the table
                await at(cleared, "the whole list again")
            table = pane.table
            last = frames.when(lambda: table.cursor_index == (table.total or 0) - 1)
            await pilot.press("end")
            await at(last, "the last row")
    finally:
        ctx.db.dispose()
    return out


async def drive_table(rows: list[tuple[Text, ...]]) -> dict[str, float]:
    started = time.perf_counter()
    app = TableApp(rows)
    frames = Frames(app)
    filled = frames.when(lambda: app.query_one(DataTable).row_count == len(rows))
    async with app.run_test(size=SIZE) as pilot:
        out = {"first rows": (await at(filled, "the DataTable's rows") - started) * 1000}
        last = frames.when(lambda: app.query_one(DataTable).cursor_row == len(rows) - 1)
        sent = time.perf_counter()
        await pilot.press("ctrl+end")  # the DataTable's key for its last row
        out["end (last row)"] = (await at(last, "the DataTable's last row") - sent) * 1000
    return out


# --- memory, one fresh process per case ------------------------------------------------------


def _status_mb(field: str) -> float:
    """``VmRSS`` (resident now) or ``VmHWM`` (its peak) of this process, from Linux's /proc."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise SystemExit(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    # ru_maxrss would also carry the parent's peak across fork and exec; "5" resets VmHWM.
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def child(case: str, args: argparse.Namespace, trace: bool) -> None:
    """Run one case once and print its memory as JSON (run by ``memory`` in a new process)."""
    rows = table_rows(args.db, args.datatable_rows) if case == "datatable" else []
    searches = searches_for_path(args.db) if case in ("app", "pane") else None
    # Textual's lazy imports and first-use set-up belong to no case: a bare session first.
    asyncio.run(drive_bare())
    before = _status_mb("VmRSS")
    _reset_peak()
    if trace:
        tracemalloc.start()
    if case == "bare":
        asyncio.run(drive_bare())
    elif case == "datatable":
        asyncio.run(drive_table(rows))
    elif case == "pane":
        assert searches is not None
        asyncio.run(drive_pane(args.db, searches))
    else:
        assert searches is not None
        asyncio.run(drive_app(args.db, searches))
    result: dict[str, float] = {}
    if trace:
        result["python peak MB"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    else:
        result["rss delta MB"] = _status_mb("VmHWM") - before
    print(json.dumps(result))


def memory(case: str, db: Path, datatable_rows: int) -> dict[str, float]:
    result: dict[str, float] = {}
    for trace in (False, True):
        command = [sys.executable, __file__, "--child", case, "--db", str(db)]
        command += ["--datatable-rows", str(datatable_rows)] + (["--trace"] if trace else [])
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(f"memory case {case} failed:\n{done.stderr}")
        result.update(json.loads(done.stdout.strip().splitlines()[-1]))
    return result


def searches_for_path(path: benchdata.Location) -> Searches:
    ctx = desk_context(path)
    try:
        return searches_for(ctx)
    finally:
        ctx.db.dispose()


# --- the report ------------------------------------------------------------------------------


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="branch")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db-dir", type=Path, default=Path("/tmp"))
    parser.add_argument("--repeat", type=int, default=3, help="timed sessions per case")
    parser.add_argument("--datatable-rows", type=int, default=20_000)
    parser.add_argument("--no-memory", action="store_true", help="skip the memory processes")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--smoke", action="store_true", help="small data, one session, no memory")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="",
        default=None,
        metavar="URL",
        help="the generated branches on PostgreSQL (a throw-away server, or the one at URL)",
    )
    args = parser.parse_args(argv)
    if args.postgres is not None and not args.child:
        with benchdata.postgres_server(args.postgres or None):
            return _main(args)
    return _main(args)


def _main(args: argparse.Namespace) -> int:
    if args.smoke:
        args.scale, args.repeat, args.no_memory, args.datatable_rows = "small", 1, True, 100
    if args.child:
        child(args.child, args, args.trace)
        return 0

    big = database_path(args.db_dir, args.scale, args.seed, args.rebuild)
    tiny = database_path(args.db_dir, "small", args.seed, args.rebuild and args.scale != "small")
    searches = searches_for_path(big)
    tiny_searches = searches_for_path(tiny)
    rows = table_rows(big, args.datatable_rows)
    if isinstance(big, str):
        # PostgreSQL (``run_all.py --postgres``): the memory cases run on SQLite files only
        args.no_memory = True
        where = big.rsplit("/", 1)[-1] + " on PostgreSQL"
    else:
        where = f"{big} {big.stat().st_size / 2**20:.0f} MB"
    print(
        f"{args.scale}: ({where}, "
        f"{SCALES[args.scale].residents:,} residents); baseline small: "
        f"{SCALES['small'].residents:,} residents; {os.cpu_count()} CPUs (shared), "
        f"terminal {SIZE[0]}x{SIZE[1]}, sessions per case: {args.repeat} after a warm-up",
        flush=True,
    )

    def sessions(make: Callable[[], Any]) -> dict[str, float]:
        if not args.smoke:
            asyncio.run(make())  # warm-up: imports, CSS, the OS file cache
        return medians([asyncio.run(make()) for _ in range(args.repeat)])

    bare = sessions(drive_bare)["first frame"]
    table = sessions(lambda: drive_table(rows))
    small = sessions(lambda: drive_app(tiny, _same_shape(searches, tiny_searches)))
    large = small if big == tiny else sessions(lambda: drive_app(big, searches))

    print()
    print("start, to the first frame and to the first rows of the list")
    starts = [
        ("bare Textual app (one Static)", bare, None),
        (f"DataTable given {len(rows):,} rows", table["first rows"], table["first rows"]),
        (
            f"policeroom, small ({SCALES['small'].residents:,})",
            small["first frame"],
            small["first rows"],
        ),
        (
            f"policeroom, {args.scale} ({SCALES[args.scale].residents:,})",
            large["first frame"],
            large["first rows"],
        ),
    ]
    print(f"{'':<36}{'frame ms':>9}{'x bare':>8}{'rows ms':>9}{'x bare':>8}")
    for title, frame, shown in starts:
        rows_ms = f"{shown:>9.0f}{shown / bare:>8.1f}" if shown is not None else ""
        print(f"{title:<36}{frame:>9.0f}{frame / bare:>8.1f}{rows_ms}")
    print(
        f"first rows of the residents pane, {args.scale} / small: "
        f"{large['first rows']:.0f} ms / {small['first rows']:.0f} ms = "
        f"{large['first rows'] / small['first rows']:.2f}× (goal ≤1.2×); their count "
        f"on screen at {large['first count']:.0f} ms / {small['first count']:.0f} ms"
    )
    print(f"DataTable ctrl+end (last of {len(rows):,} rows): {table['end (last row)']:.0f} ms")
    print()
    print(f"the residents pane on {args.scale}, key sent to the frame that shows it")
    header = f"{'step':<32}{'matches':>9}{'ms':>8}{'small ms':>10}{'x small':>9}"
    print(header)
    print("-" * len(header))
    for label, ms in large.items():
        if label.startswith("matches:") or label.startswith("first "):
            continue
        matches = large.get(f"matches:{label}")
        counted = f"{matches:,.0f}" if matches is not None else ""
        base = small.get(_small_label(label, searches, tiny_searches))
        compared = f"{base:>10.0f}{ms / base:>9.1f}" if base else ""
        print(f"{label:<32}{counted:>9}{ms:>8.0f}{compared}")

    if not args.no_memory:
        print()
        print("memory (a fresh process per case, one session each)")
        cases = [
            ("bare Textual app", "bare", tiny),
            (f"DataTable of {len(rows):,} rows", "datatable", big),
            ("residents pane alone, small", "pane", tiny),
            (f"residents pane alone, {args.scale}", "pane", big),
            (f"policeroom on small ({SCALES['small'].residents:,})", "app", tiny),
            (f"policeroom on {args.scale} ({SCALES[args.scale].residents:,})", "app", big),
        ]
        print(f"{'case':<36}{'RSS delta MB':>14}{'Python peak MB':>16}")
        for title, case, db in cases:
            assert isinstance(db, Path)  # SQLite only (see above)
            found = memory(case, db, args.datatable_rows)
            print(f"{title:<36}{found['rss delta MB']:>14.1f}{found['python peak MB']:>16.1f}")
    return 0


def _same_shape(big: Searches, small: Searches) -> Searches:
    """The small database's searches, of the same kinds and lengths as the large one's."""
    return Searches(big.initials, small.hanzi, small.phone_tail, small.burst)


def _small_label(label: str, big: Searches, small: Searches) -> str:
    """The label of the same step in the small session (its texts come from its own data)."""
    suffix = next((end for end in (" echo", " count") if label.endswith(end)), "")
    kind, sep, text = label.removesuffix(suffix).partition(": ")
    pairs = {
        "hanzi": (big.hanzi, small.hanzi),
        "phone tail": (big.phone_tail, small.phone_tail),
        "burst": (big.burst, small.burst),
    }
    if not sep or kind not in pairs:
        return label
    mine, theirs = pairs[kind]
    return f"{kind}: {theirs if text == mine else theirs[: len(text)]}{suffix}"


if __name__ == "__main__":
    sys.exit(main())
