"""The real ``policeroom`` in tmux at 80x24: it draws, it quits, and it respects SSH."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.tmux_session import PROGRAM, TmuxSession, load_training, need_tmux

pytestmark = pytest.mark.e2e


LOGIN = "desk.r0102"
PASSWORD = "优越路值班-口令2026"


@pytest.fixture(scope="module")
def training_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("e2e") / "desk.db"
    load_training(path)
    # No login of the training data has a password: the first is set without an --admin.
    subprocess.run(
        [str(PROGRAM), "user", "passwd", LOGIN, "--password-stdin", "--db", str(path)],
        input=PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
    )
    return path


def log_in(tmux: TmuxSession) -> None:
    """Type the login and the password on the login screen, by keys, as a desk officer does."""
    tmux.wait_for(lambda s: "log in" in s and "Password" in s, "the login screen")
    # Each step waits for the one before to show, as a person looks before typing on.
    tmux.text(LOGIN)
    tmux.wait_for(lambda s: LOGIN in s, "the login typed")
    tmux.keys("Enter")
    tmux.text(PASSWORD)
    tmux.wait_for(lambda s: "•" * len(PASSWORD) in s, "the password typed, hidden")
    tmux.keys("Enter")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[TmuxSession]:
    session = TmuxSession(need_tmux())
    try:
        yield session
    finally:
        session.stop()


def desk_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "LANG": "en_US.UTF-8", **extra}
    for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"):
        env.setdefault(name, "")
    return env


def test_program_starts_at_80x24_and_quits_with_q(
    tmux: TmuxSession, training_db: Path, tmp_path: Path
) -> None:
    tmux.start([str(PROGRAM), "--db", str(training_db)], desk_env(tmp_path))
    log_in(tmux)
    screen = tmux.wait_for(
        lambda s: all(
            w in s for w in ("Grid tree", "优越路街道", "Residents", "Duty roster", LOGIN)
        ),
        "the main screen with the grid tree read, the login in the header",
    )
    assert LOGIN in screen.splitlines()[0]
    assert all(len(line) <= 80 for line in screen.splitlines())
    tmux.keys("q")
    assert tmux.wait_exit() == 0


def test_a_password_and_its_enter_in_one_burst_log_in(
    tmux: TmuxSession, training_db: Path, tmp_path: Path
) -> None:
    """Over a slow link, or pasted, the login, enters and password reach the program together:
    an enter must not be handled before the keys typed ahead of it."""
    tmux.start([str(PROGRAM), "--db", str(training_db)], desk_env(tmp_path))
    tmux.wait_for(lambda s: "log in" in s and "Password" in s, "the login screen")
    tmux.text(LOGIN + "\r" + PASSWORD + "\r")
    tmux.wait_for(lambda s: "Grid tree" in s and LOGIN in s, "the desk, logged in")
    tmux.keys("q")
    assert tmux.wait_exit() == 0


def test_the_lock_opens_to_a_password_and_enter_in_one_burst(
    tmux: TmuxSession, training_db: Path, tmp_path: Path
) -> None:
    tmux.start([str(PROGRAM), "--db", str(training_db)], desk_env(tmp_path))
    log_in(tmux)
    tmux.wait_for(lambda s: "Grid tree" in s and LOGIN in s, "the desk, logged in")
    tmux.keys("F12")
    tmux.wait_for(lambda s: "locked" in s and "Grid tree" not in s, "the lock screen")
    tmux.text(PASSWORD + "\r")
    tmux.wait_for(lambda s: "Grid tree" in s, "the desk again")
    tmux.keys("q")
    assert tmux.wait_exit() == 0


def test_a_grid_code_and_its_enter_in_one_burst_find_that_grid(
    tmux: TmuxSession, training_db: Path, tmp_path: Path
) -> None:
    """The grid picker's enter waits for the matches of what was typed before it: typed fast
    or pasted, ``WD010204⏎`` once chose the first grid of the empty search (WD01)."""
    tmux.start([str(PROGRAM), "--db", str(training_db)], desk_env(tmp_path))
    log_in(tmux)
    tmux.wait_for(lambda s: "Grid tree" in s and "优越路街道" in s, "the grid tree read")
    tmux.keys("/")
    tmux.wait_for(lambda s: "Find a grid" in s, "the grid picker")
    tmux.text("WD010204\r")
    screen = tmux.wait_for(
        lambda s: "Find a grid" not in s and "WD010204 officer" in s, "建工小区 chosen"
    )
    assert "8 residents" in screen
    tmux.keys("q")
    assert tmux.wait_exit() == 0


def test_search_residents_by_pinyin_then_quit(
    tmux: TmuxSession, training_db: Path, tmp_path: Path
) -> None:
    tmux.start([str(PROGRAM), "--db", str(training_db)], desk_env(tmp_path))
    log_in(tmux)
    tmux.wait_for(lambda s: "优越路街道" in s and "Residents" in s, "the main screen")
    tmux.keys("2")
    tmux.wait_for(lambda s: "/ Search" in s.splitlines()[-1], "the residents' keys in the footer")
    tmux.keys("/")
    # the table's "⏎ Open" leaves the footer once the search box has the focus
    tmux.wait_for(lambda s: "Open" not in s.splitlines()[-1], "the search box focused")
    # desk.r0102 sees only its own room's residents, where zhr is 张浩然 alone.
    tmux.text("zhr")
    screen = tmux.wait_for(
        lambda s: "张浩然" in s and "│ 1 resident " in s, "张浩然 found by zhr, and counted"
    )
    assert "张建军" not in screen
    assert all(len(line) <= 80 for line in screen.splitlines())
    tmux.keys("Escape")
    tmux.wait_for(lambda s: "/ search:" in s and "│ 1 resident " not in s, "the search cleared")
    tmux.keys("q")
    assert tmux.wait_exit() == 0


@pytest.mark.parametrize(
    ("ssh", "mouse_var", "expect_mouse"),
    [
        ("", "", "1"),
        ("10.0.0.2 50022 10.0.0.1 22", "", "0"),
        ("10.0.0.2 50022 10.0.0.1 22", "on", "1"),
    ],
)
def test_mouse_tracking_is_off_over_ssh_unless_asked(
    tmux: TmuxSession,
    training_db: Path,
    tmp_path: Path,
    ssh: str,
    mouse_var: str,
    expect_mouse: str,
) -> None:
    env = desk_env(tmp_path, SSH_CONNECTION=ssh, POLICEROOM_MOUSE=mouse_var)
    tmux.start([str(PROGRAM), "--db", str(training_db)], env)
    log_in(tmux)
    tmux.wait_for(lambda s: "Grid tree" in s, "the main screen")
    tracking = tmux.pane("#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}")
    assert ("1" in tracking) == (expect_mouse == "1"), tracking
    tmux.keys("q")
    assert tmux.wait_exit() == 0
