"""Site settings with versions: a setting is saved only over the version its editor read.

A settings screen reads values and their versions together (``versions``); saving passes
back the versions read, and a setting another desk saved meanwhile is refused with
``StaleRecord`` rather than silently overwritten. A setting never stored has version 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sqlalchemy as sa
from sqlmodel import Session, col, select

from policeroom.i18n import _
from policeroom.models.audit import Setting
from policeroom.services.core import requests
from policeroom.services.core.errors import StaleRecord

ABSENT = 0


def versions(session: Session, keys: Iterable[str]) -> dict[str, int]:
    """The version of each of ``keys`` (0 for a setting never stored)."""
    wanted = list(keys)
    found = dict(
        session.execute(
            select(Setting.key, Setting.version).where(col(Setting.key).in_(wanted))
        ).all()
    )
    return {key: int(found.get(key, ABSENT)) for key in wanted}


def store(session: Session, key: str, value: str, expected: Mapping[str, int]) -> int:
    """Write ``value`` under ``key`` if its version is still ``expected[key]``; returns the
    new version. Locked first (PostgreSQL), so two first saves of one key cannot both insert."""
    requests.lock(session, f"setting:{key}")
    wanted = expected.get(key, ABSENT)
    current = session.get(Setting, key, populate_existing=True)
    have = current.version if current is not None else ABSENT
    if have != wanted:
        raise StaleRecord(
            _("setting {key} was changed by someone else since you opened it").format(key=key)
        )
    if current is None:
        session.add(Setting(key=key, value=value, version=1))
        session.flush()
        return 1
    session.execute(
        sa.update(Setting)
        .where(col(Setting.key) == key, col(Setting.version) == wanted)
        .values(value=value, version=wanted + 1)
    )
    session.expire(current)
    return wanted + 1
