"""The real ``policeroom`` in tmux at 80x24: a desk officer opens the weekly sweeps behind
the statistics' "missing weekly sweeps" figure, confirms one by keys, and comes back to the
statistics, read again (issue 12)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from policeroom.ui.stats.stats_screen import COLUMNS, FIRST_FIGURE
from tests.e2e.test_tmux import LOGIN, desk_env, log_in
from tests.e2e.test_tmux import training_db as training_db  # noqa: F401 - a fixture
from tests.e2e.tmux_session import PROGRAM, TmuxSession, need_tmux

pytestmark = pytest.mark.e2e

MISSING = re.compile(r"(\d+) missing of (\d+) room-weeks?")


@pytest.fixture
def tmux() -> Iterator[TmuxSession]:
    session = TmuxSession(need_tmux())
    try:
        yield session
    finally:
        session.stop()


def _missing(screen: str) -> int:
    found = MISSING.search(screen)
    assert found is not None, screen
    return int(found.group(1))


def test_a_desk_officer_confirms_a_missing_sweep_from_the_statistics(
    tmux: TmuxSession, training_db: Path, tmp_path: Path
) -> None:
    tmux.start([str(PROGRAM), "--db", str(training_db)], desk_env(tmp_path))
    log_in(tmux)
    tmux.wait_for(lambda s: "Grid tree" in s and LOGIN in s, "the desk, logged in")
    tmux.keys("5")
    tmux.wait_for(lambda s: "Statistics" in s and "优越路派出所" in s, "the statistics")
    tmux.keys(*["Right"] * (FIRST_FIGURE + COLUMNS.index("missing_sweeps")), "Enter")
    screen = tmux.wait_for(
        lambda s: "Weekly sweeps" in s and MISSING.search(s) is not None, "the room's weeks"
    )
    # the training data's sweeps are years old: every week of this quarter is missing
    missing = _missing(screen)
    assert missing > 0 and "missing" in screen and "R0102 优越路社区警务室" in screen, screen
    tmux.keys("c")
    tmux.wait_for(lambda s: "Weekly dispute sweep" in s, "the sweep form, on the week")
    tmux.keys("Tab", "Tab", "Space", "C-s")  # past the room and the week: a nil report
    # the count and the rows are read apart: wait for both
    tmux.wait_for(
        lambda s: "Weekly sweeps" in s and f"{missing - 1} missing of" in s and "nil report" in s,
        "one week fewer, confirmed as a nil report",
    )
    tmux.keys("Escape")
    tmux.wait_for(lambda s: "Statistics" in s and "Weekly sweeps" not in s, "the statistics")
    tmux.keys("Escape")
    tmux.wait_for(lambda s: "Grid tree" in s, "the main screen")
    tmux.keys("q")
    assert tmux.wait_exit() == 0
