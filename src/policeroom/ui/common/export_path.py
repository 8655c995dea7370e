"""How an export screen shows the file it will write, confined to a folder or not."""

from __future__ import annotations

from pathlib import Path

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext


def shown_path(ctx: ServiceContext, path: Path) -> str:
    """The text the file field starts with: the whole path, or only the name when confined."""
    return path.name if ctx.export_dir is not None else str(path)


def confined_hint(ctx: ServiceContext) -> str:
    """Under the file field of a remote session: where the file goes (empty otherwise)."""
    if ctx.export_dir is None:
        return ""
    return _("A file name only: written to {folder}").format(folder=ctx.export_dir)
