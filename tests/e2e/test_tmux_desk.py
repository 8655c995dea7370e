"""The real ``policeroom`` in tmux: how it ends when something goes wrong, and keys typed
ahead in pickers (issue 13)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_tmux import LOGIN, desk_env, log_in
from tests.e2e.test_tmux import training_db as training_db  # noqa: F401 - a fixture
from tests.e2e.tmux_session import TmuxSession, need_tmux

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
    screen = tmux.screen()
    # tmux's own "Pane is dead" line follows the program's last one
    said = [line for line in screen.splitlines() if line.strip()][-2]
    assert said == "policeroom: the desk program stopped on an error; its report is above"
    assert ID_NUMBER not in screen, screen
