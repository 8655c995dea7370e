"""Locate data shipped beside the code: styles, fixtures, catalogues.

An installed wheel carries ``styles/`` and ``fixtures/`` inside the package (see
``force-include`` in pyproject.toml); a source checkout keeps them at the top level.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    checkout = _PACKAGE.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"cannot find the {name}/ folder next to {_PACKAGE}")


def styles_dir() -> Path:
    """The folder of ``.tcss`` files."""
    return _find("styles")


def fixtures_dir() -> Path:
    """The folder of named fixture sets (``training`` …)."""
    return _find("fixtures")


def locale_dir() -> Path:
    """The gettext catalogues."""
    return _PACKAGE / "locale"
