"""Every interface message has its Chinese translation, and the program speaks it."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from textual.widgets import Tabs

import policeroom
from policeroom import i18n
from policeroom.ui.app import PoliceRoomApp
from policeroom.ui.shell.main_screen import MainScreen
from tests.ui.conftest import settle
from tests.unit.people_world import World

SOURCE = Path(policeroom.__file__).resolve().parent
CATALOGUE = i18n.catalogue_path("zh_CN")
HOW_TO_FIX = (
    "run `make i18n`, then fill the empty msgstr of these messages in "
    "src/policeroom/locale/zh_CN/LC_MESSAGES/policeroom.po (Simplified Chinese; keep every "
    "{placeholder} as it is)"
)


def source_messages() -> dict[str, str]:
    """msgid → where it is, for every marked message under src/policeroom."""
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(str(SOURCE)):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def catalogue() -> dict[str, tuple[str, ...]]:
    with CATALOGUE.open("rb") as po_file:
        catalog = read_po(po_file)
    entries: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        entries[msgid] = tuple(strings)
    return entries


def fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_message_in_the_source_has_a_chinese_translation() -> None:
    translated = catalogue()
    missing = sorted(
        f"{where}: {msgid!r}"
        for msgid, where in source_messages().items()
        if not all(translated.get(msgid, ("",)))
    )
    assert not missing, f"{len(missing)} messages have no Chinese translation; {HOW_TO_FIX}:\n" + (
        "\n".join(missing)
    )


def test_translations_keep_every_placeholder() -> None:
    wrong = [
        f"{msgid!r} -> {text!r}"
        for msgid, texts in catalogue().items()
        for text in texts
        if text and fields(text) != fields(msgid)
    ]
    assert not wrong, "translations that lose or add a {placeholder}:\n" + "\n".join(wrong)


def test_language_comes_from_the_locale_when_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.set_language(None) == "zh"
    assert i18n._("Duty roster") == "值班"
    assert i18n.ngettext("{n} resident", "{n} residents", 2).format(n=2) == "2 名居民"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert i18n.set_language(None) == "en"
    assert i18n._("Duty roster") == "Duty roster"


async def test_chinese_titles_with_lang_zh(world: World) -> None:
    app = PoliceRoomApp(world.ctx, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.query_one("#grid-tree").border_title == "网格"
        titles = [screen.query_one(f"#{area}").border_title for area in ("residents", "disputes")]
        assert titles == ["居民", "纠纷"]
        assert screen.query_one("#roster").border_title == "值班"
        tabs = screen.query_one(Tabs)
        assert [str(tab.label) for tab in tabs.query("Tab")] == ["居民", "纠纷", "值班"]
        assert "周日" in str(screen.query_one("#header-date").render())
        footer_text = " ".join(str(key.render()) for key in screen.query("FooterKey"))
        assert "卡片" in footer_text and "退出" in footer_text
