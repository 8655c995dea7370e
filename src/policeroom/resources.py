"""Locate data shipped beside the code: fixture sets and catalogues.

A source checkout keeps the fixture sets in the top-level ``fixtures/`` folder; an installed
wheel carries them inside the package as ``fixture_sets/`` (see ``force-include`` in
pyproject.toml), a name that cannot be confused with the ``policeroom.fixtures`` code.
Stylesheets sit beside the interface code that uses them.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def fixtures_dir() -> Path:
    """The folder of named fixture sets (``training`` …)."""
    for folder in (_PACKAGE / "fixture_sets", _PACKAGE.parent.parent / "fixtures"):
        if folder.is_dir():
            return folder
    raise FileNotFoundError(f"cannot find the fixture sets next to {_PACKAGE}")


def locale_dir() -> Path:
    """The gettext catalogues."""
    return _PACKAGE / "locale"
