"""Interface language: gettext catalogues for Simplified Chinese and English.

One process serves one user, so the language is process-wide: ``set_language`` at start-up,
``_()`` everywhere (services included, so their error messages arrive translated).

The catalogue is the ``.po`` file itself (``locale/zh_CN/LC_MESSAGES/policeroom.po``), read
with Babel and compiled in memory: no compiled ``.mo`` is kept in git, where binary files
would conflict between branches. ``make i18n`` extracts new messages into it.
"""

from __future__ import annotations

import gettext
import io
import locale
import os
import struct
from functools import cache
from pathlib import Path

from policeroom.resources import locale_dir

DOMAIN = "policeroom"
LANGUAGES = ("en", "zh")
CATALOGUES = {"zh": "zh_CN"}
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


def language_code(value: str) -> str:
    """``en`` or ``zh`` for what a user types: ``zh``, ``zh_CN``, ``zh-Hans``, ``en_US.UTF-8``…"""
    simple = value.split(".")[0].replace("-", "_").split("_")[0].lower()
    if simple in LANGUAGES:
        return simple  # the usual case, without Babel's locale data (part of the start)
    from babel import Locale, UnknownLocaleError

    try:
        code = Locale.parse(value.split(".")[0].replace("-", "_")).language
    except (ValueError, UnknownLocaleError):
        code = value
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {value!r}; choose one of {', '.join(LANGUAGES)}")
    return code


def set_language(language: str | None) -> str:
    """Install the catalogue for ``language`` (``en``/``zh``; None = from the locale)."""
    global _translation, _language
    chosen = language or detect_language()
    if chosen not in LANGUAGES:
        raise ValueError(f"unknown language {chosen!r}; choose one of {', '.join(LANGUAGES)}")
    if chosen == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = _catalogue(catalogue_path(CATALOGUES[chosen]))
    _language = chosen
    return chosen


def catalogue_path(locale_name: str) -> Path:
    """The ``.po`` file of ``locale_name`` (``zh_CN``)."""
    return locale_dir() / locale_name / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _catalogue(path: Path) -> gettext.NullTranslations:
    if not path.is_file():
        return gettext.NullTranslations()
    # Imported here: an English desk never reads a catalogue.
    import hashlib

    from platformdirs import user_cache_dir

    source = path.read_bytes()
    # Compiling the catalogue takes Babel and a tenth of a second, at every start of a
    # Chinese desk; the compiled copy is kept per version of the .po, in the user's cache.
    digest = hashlib.sha256(source).hexdigest()[:16]
    cached = Path(user_cache_dir("policeroom", appauthor=False)) / f"{path.stem}-{digest}.mo"
    try:
        return gettext.GNUTranslations(io.BytesIO(cached.read_bytes()))
    except (OSError, ValueError, struct.error):
        pass  # none yet, or a damaged copy: compiled (again) below
    compiled = _compile(source)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f".{cached.name}.{os.getpid()}")
        partial.write_bytes(compiled)
        os.replace(partial, cached)  # whole or absent, for a desk starting at the same time
    except OSError:
        pass  # a read-only home: compiled again next time
    return gettext.GNUTranslations(io.BytesIO(compiled))


def _compile(source: bytes) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(source), domain=DOMAIN)
    compiled = io.BytesIO()
    # Fuzzy entries are guesses from `pybabel update`; showing them would be worse than English.
    write_mo(compiled, catalog, use_fuzzy=False)
    return compiled.getvalue()


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
