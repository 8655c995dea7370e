"""Interface language: gettext catalogues for Simplified Chinese and English.

One process serves one user, so the language is process-wide: ``set_language`` at start-up,
``_()`` everywhere (services included, so their error messages arrive translated).
"""

from __future__ import annotations

import gettext
import locale
import os

from policeroom.resources import locale_dir

DOMAIN = "policeroom"
LANGUAGES = ("en", "zh")
_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def detect_language() -> str:
    """``zh`` when the locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) is Chinese, else ``en``."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    current = locale.getlocale()[0] or ""
    return "zh" if current.lower().startswith("zh") else "en"


def set_language(language: str | None) -> str:
    """Install the catalogue for ``language`` (``en``/``zh``; None = from the locale)."""
    global _translation, _language
    chosen = language or detect_language()
    if chosen not in LANGUAGES:
        raise ValueError(f"unknown language {chosen!r}; choose one of {', '.join(LANGUAGES)}")
    if chosen == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(
            DOMAIN, localedir=str(locale_dir()), languages=["zh_CN"], fallback=True
        )
    _language = chosen
    return chosen


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translation.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it yet (labels in tables)."""
    return message
