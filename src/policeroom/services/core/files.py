"""Where an actor's exports and prints may be written.

At a station PC the officer owns the machine and writes wherever they like. Over SSH the
program runs as the program's own OS account, which can read every file the branch has
(its database, its backups): a path typed freely into an export screen would let an officer
overwrite them or drop a file where another account picks it up. So a remote session is
given one folder, set by the administrator for that user, and every file it writes goes
directly into it, by name.
"""

from __future__ import annotations

import os
from pathlib import Path

from policeroom.i18n import _
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ValidationError

FIELD = "path"


def export_folder(ctx: ServiceContext, default: Path) -> Path:
    """The folder an export screen starts in: the confined folder when there is one."""
    return ctx.export_dir if ctx.export_dir is not None else default


def export_target(ctx: ServiceContext, text: str) -> Path:
    """The file an export typed as ``text`` writes to, or a ``ValidationError`` on ``path``.

    Confined (``ctx.export_dir`` set): a bare file name, or a path naming a file directly
    inside the folder; anything else, ``..``, hidden names and links out of it are refused.
    """
    typed = text.strip()
    if not typed:
        raise ValidationError.single(FIELD, _("give a file name"))
    folder = ctx.export_dir
    if folder is None:
        return Path(typed).expanduser()
    candidate = Path(typed)
    name = candidate.name
    inside = candidate.parent == Path(".") or _same(candidate.parent, folder)
    if not inside or name in ("", ".", "..") or name.startswith("."):
        raise ValidationError.single(
            FIELD, _("only a file name: files are written to {folder}").format(folder=folder)
        )
    target = folder / name
    if target.is_symlink():
        # A link planted in the folder would carry the write anywhere the account can reach.
        raise ValidationError.single(
            FIELD, _("{name} is a link; choose another name").format(name=name)
        )
    return target


def check_writable(ctx: ServiceContext, path: Path) -> Path:
    """``path`` as the service will write it; refused outside the confined folder.

    The screens already build the path with ``export_target``; this is the same rule at the
    service's own door, for any other caller.
    """
    target = path.expanduser()
    if ctx.export_dir is None:
        return target
    return export_target(ctx, str(target))


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()
