"""The real ``policeroom training`` in tmux at 80x24, in Chinese: the roster's week is read
as a desk officer reads it (issue 13, 9)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.tmux_session import PROGRAM, TmuxSession, need_tmux

pytestmark = pytest.mark.e2e

WEEK = ("周一 25", "周二 26", "周三 27", "周四 28", "周五 29", "周六 30", "周日 1")


@pytest.fixture
def tmux() -> Iterator[TmuxSession]:
    session = TmuxSession(need_tmux())
    try:
        yield session
    finally:
        session.stop()


def test_the_roster_at_80x24_folds_the_tree_and_shows_the_whole_week(
    tmux: TmuxSession, tmp_path: Path
) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "LANG": "zh_CN.UTF-8"}
    tmux.start([str(PROGRAM), "training", "--lang", "zh"], env)
    tmux.wait_for(lambda s: "╭─ 网格" in s and "优越路街道" in s, "the tree beside the panes")
    tmux.keys("4")
    screen = tmux.wait_for(
        lambda s: "宋丽娟" in s and all(day in s for day in WEEK), "the whole week of the roster"
    )
    assert "╭─ 网格" not in screen  # folded away
    heading = next(line for line in screen.splitlines() if "周一 25" in line)
    assert all(day in heading for day in WEEK)  # seven days on one line
    # Three-character names whole in every column (宋丽 could be 宋丽娟 or 宋丽华).
    assert "宋丽娟  宋丽娟  宋丽娟  宋丽娟  宋丽娟" in screen
    tmux.keys("1")
    tmux.wait_for(lambda s: "╭─ 网格" in s, "the tree back with the focus")
    tmux.keys("q")
    assert tmux.wait_exit() == 0
