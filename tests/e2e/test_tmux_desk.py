"""The real ``policeroom`` in tmux: how it ends when something goes wrong, and keys typed
ahead in pickers (issue 13)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_tmux import LOGIN, desk_env, log_in
from tests.e2e.test_tmux import training_db as training_db  # noqa: F401 - a fixture
from tests.e2e.tmux_session import PROGRAM, TmuxSession, need_tmux

pytestmark = pytest.mark.e2e

ID_NUMBER = "410402198403126693"

# The real command line, with one action of the desk made to fail as a bug would: the help
# key raises, quoting a resident's ID number as an error message might.
CRASHING_DESK = f"""
import sys
from policeroom import cli
from policeroom.ui.app import PoliceRoomApp

def broken_help(self):
    raise RuntimeError("could not show {ID_NUMBER}")

PoliceRoomApp.action_help = broken_help
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.fixture
def tmux() -> Iterator[TmuxSession]:
    session = TmuxSession(need_tmux())
    try:
        yield session
    finally:
        session.stop()


def test_a_crash_of_the_desk_exits_1_with_one_masked_line(
    tmux: TmuxSession, training_db: Path, tmp_path: Path
) -> None:
    tmux.start([sys.executable, "-c", CRASHING_DESK, "--db", str(training_db)], desk_env(tmp_path))
    log_in(tmux)
    tmux.wait_for(lambda s: "Grid tree" in s and LOGIN in s, "the desk, logged in")
    tmux.keys("F1")
    assert tmux.wait_exit() == 1
    stopped = "policeroom: the desk program stopped on an error; its report is above"
    # tmux may mark the pane dead before it has drawn the program's last bytes: the last
    # line is waited for (tmux's own "Pane is dead" line is not the program's)
    screen = tmux.wait_for(
        lambda s: (
            [line for line in s.splitlines() if line.strip() and "Pane is dead" not in line][-1]
            == stopped
        ),
        "the one line after the masked report",
    )
    assert ID_NUMBER not in screen, screen


def test_arrows_and_enter_in_one_burst_choose_the_grid_they_reached(
    tmux: TmuxSession, training_db: Path, tmp_path: Path
) -> None:
    """Run before the arrows typed ahead of it, the picker's enter chose the first grid."""
    tmux.start([str(PROGRAM), "--db", str(training_db)], desk_env(tmp_path))
    log_in(tmux)
    tmux.wait_for(lambda s: "优越路街道" in s and LOGIN in s, "the desk, logged in")
    tmux.keys("1")
    tmux.wait_for(lambda s: "/ Find" in s.splitlines()[-1], "the tree's keys in the footer")
    tmux.keys("/")
    tmux.wait_for(lambda s: "Find a grid" in s and "1 grid" in s, "the grid picker")
    tmux.text("WD0102")
    tmux.wait_for(lambda s: "5 grids" in s, "the community and its four blocks")
    tmux.keys("Down", "Down", "Enter")
    screen = tmux.wait_for(
        lambda s: "Find a grid" not in s and " officer " in s, "the picker closed, a grid chosen"
    )
    assert "WD010202 officer" in screen, screen
    tmux.keys("q")
    assert tmux.wait_exit() == 0


def test_an_arrow_and_enter_in_one_burst_open_the_row_the_arrow_reached(
    tmux: TmuxSession, training_db: Path, tmp_path: Path
) -> None:
    """The statistics' enter was a priority key too: it opened the row the cursor was on
    before the arrow typed ahead of it."""
    tmux.start([str(PROGRAM), "--db", str(training_db)], desk_env(tmp_path))
    log_in(tmux)
    tmux.wait_for(lambda s: "Grid tree" in s and LOGIN in s, "the desk, logged in")
    tmux.keys("5")
    tmux.wait_for(lambda s: "Statistics" in s and "优越路派出所" in s, "the statistics")
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "› 优越路派出所" in s, "the station's rooms")
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "(itself)" in s, "the room's grids, and the room itself")
    # the row under the first is the room itself, with nothing below it
    tmux.keys("Down", "Enter")
    screen = tmux.wait_for(lambda s: "Nothing below" in s, "the room itself not opening")
    assert "› 优越路社区 " not in screen, screen
    tmux.keys("Escape")
    tmux.keys("Escape")
    tmux.keys("Escape")
    tmux.wait_for(lambda s: "Grid tree" in s, "the main screen")
    tmux.keys("q")
    assert tmux.wait_exit() == 0


def test_an_area_key_and_the_next_key_in_one_burst_reach_that_area(
    tmux: TmuxSession, training_db: Path, tmp_path: Path
) -> None:
    """``2/`` typed in one go opened the grid tree's finder: the focus moved to the residents
    only after the keys already waiting, ``/`` among them (found walking the story)."""
    tmux.start([str(PROGRAM), "--db", str(training_db)], desk_env(tmp_path))
    log_in(tmux)
    tmux.wait_for(lambda s: "Grid tree" in s and LOGIN in s, "the desk, logged in")
    tmux.text("2/")
    screen = tmux.wait_for(
        lambda s: "All grids  f1" in s.splitlines()[-1] or "Find a grid" in s,
        "the residents' search box focused, or the tree's finder",
    )
    assert "Find a grid" not in screen, screen
    tmux.text("zs")
    tmux.wait_for(lambda s: "│zs " in s, "the search typed into the residents' box")
    tmux.keys("Escape")
    tmux.wait_for(lambda s: "⏎ Open" in s.splitlines()[-1], "the list focused again")
    tmux.keys("q")
    assert tmux.wait_exit() == 0


def test_a_search_key_and_the_letters_after_it_in_one_burst_reach_the_search_box(
    tmux: TmuxSession, training_db: Path, tmp_path: Path
) -> None:
    """``/zs`` in one read (SSH delivers a typist's keys so): ``/`` is a binding, run when the
    key came back up from the list, and ``zs`` had already been handed to the list."""
    tmux.start([str(PROGRAM), "--db", str(training_db)], desk_env(tmp_path))
    log_in(tmux)
    tmux.wait_for(lambda s: "Grid tree" in s and LOGIN in s, "the desk, logged in")
    tmux.keys("2")
    tmux.wait_for(lambda s: "⏎ Open" in s.splitlines()[-1], "the residents' list focused")
    tmux.text("/zs")
    tmux.wait_for(lambda s: "│zs " in s, "the letters typed into the residents' search box")
    tmux.keys("Escape")
    tmux.wait_for(lambda s: "⏎ Open" in s.splitlines()[-1], "the list focused again")
    tmux.keys("q")
    assert tmux.wait_exit() == 0
