"""``--idle-lock MINUTES`` on the desk, training and SSH commands: 1 to 15, else exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from policeroom.cli import build_parser, main
from policeroom.commands.ssh_cmd import session_command
from policeroom.commands.tui_cmd import idle_minutes


@pytest.mark.parametrize(
    "argv",
    [
        ["--idle-lock", "20"],
        ["tui", "--idle-lock", "16"],
        ["training", "--idle-lock", "60"],
        ["ssh", "session", "wangjg", "--idle-lock", "30"],
    ],
)
def test_more_than_fifteen_minutes_is_refused(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "the idle lock comes after 1 to 15 minutes" in capsys.readouterr().err


def test_the_idle_time_defaults_to_ten_minutes_and_takes_the_option() -> None:
    parser = build_parser()
    assert idle_minutes(parser.parse_args([])) == 10
    assert idle_minutes(parser.parse_args(["--idle-lock", "5"])) == 5
    assert idle_minutes(parser.parse_args(["training", "--idle-lock", "15"])) == 15
    assert idle_minutes(parser.parse_args(["ssh", "session", "wangjg", "--idle-lock", "3"])) == 3


def test_the_forced_command_carries_the_idle_time() -> None:
    line = session_command("sqlite:////srv/p.db", "wangjg", "SHA256:x", Path("/srv/e"), None, 5)
    assert line.endswith("--exports /srv/e --idle-lock 5")
    assert "--idle-lock" not in session_command(
        "sqlite:////srv/p.db", "wangjg", "SHA256:x", Path("/e")
    )
