"""What a user may type for ``--lang``: the short code or a locale name."""

from __future__ import annotations

import pytest

from policeroom.cli import build_parser
from policeroom.i18n import language_code


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("zh", "zh"),
        ("zh_CN", "zh"),
        ("zh-CN", "zh"),
        ("zh_CN.UTF-8", "zh"),
        ("zh-Hans", "zh"),
        ("en", "en"),
        ("en_US.UTF-8", "en"),
    ],
)
def test_locale_names_are_understood(typed: str, code: str) -> None:
    assert language_code(typed) == code


@pytest.mark.parametrize("typed", ["fr", "xx_YY", ""])
def test_other_languages_are_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="choose one of en, zh"):
        language_code(typed)


def test_the_command_line_takes_a_locale_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert build_parser().parse_args(["--lang", "zh_CN", "tui"]).lang == "zh"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--lang", "fr", "tui"])
    assert "unknown language 'fr'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["report", "summary", "--lang", "zh"], "zh"),
        (["--lang", "zh", "user", "list"], "zh"),
        (["--lang", "zh", "user", "list", "--lang", "en"], "en"),
        (["training", "--lang", "zh_CN"], "zh"),
        (["db", "check"], None),
    ],
)
def test_lang_works_before_or_after_the_command(argv: list[str], code: str | None) -> None:
    assert build_parser().parse_args(argv).lang == code


COMMANDS = [
    [],
    ["tui"],
    ["training"],
    ["db", "upgrade"],
    ["db", "check"],
    ["db", "backup", "copy.db"],
    ["fixtures", "load", "training"],
    ["fixtures", "export", "out.json"],
    ["fixtures", "generate"],
    ["report", "summary"],
    ["report", "disputes"],
    ["report", "roster", "--week", "2022-05-02"],
    ["user", "add", "zhang"],
    ["user", "list"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "(none)")
def test_every_global_option_works_before_or_after_the_command(command: list[str]) -> None:
    """Issue 13, defect 12: ``policeroom training --user kht`` exited 2."""
    given = ["--lang", "zh", "--user", "kht"]
    if command[:1] != ["training"]:  # training always opens its own copy
        given += ["--db", "x.db"]
    before = build_parser().parse_args([*given, *command])
    after = build_parser().parse_args([*command, *given])
    for name in ("lang", "user", "db"):
        assert getattr(after, name, None) == getattr(before, name, None), name
    assert (before.lang, before.user) == ("zh", "kht")
