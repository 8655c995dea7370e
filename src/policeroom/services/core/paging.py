"""Pages of a list: a window onto the database, never the whole table."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from policeroom.models.audit import AuditLog

Row = TypeVar("Row")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class Page(Generic[Row]):
    """``rows`` in list order; ``after`` is the keyset cursor for the next page (None = end)."""

    rows: Sequence[Row]
    after: tuple[object, ...] | None
    total: int | None = None

    @property
    def has_more(self) -> bool:
        return self.after is not None


def clamp_page_size(size: int) -> int:
    return max(1, min(size, MAX_PAGE_SIZE))


class CountCache:
    """Exact row counts of lists, kept per database and filter while nothing has changed.

    Counting a list grows with its size (300,000 residents: 40 ms, a common surname's
    26,000: 110 ms), and a list is counted every time its filter is shown again (``escape``
    back to the whole list, a reload after a save). A count is kept with the ``stamp`` it
    was read at (``change_stamp``: the newest audit row and the newest row of the list's
    table) and given back only while the stamp is unchanged, so a change through any door
    of any process, each of which writes an audit row, is counted afresh.
    """

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._by_engine: weakref.WeakKeyDictionary[Engine, OrderedDict[Hashable, Any]] = (
            weakref.WeakKeyDictionary()
        )

    def get(self, engine: Engine, key: Hashable, stamp: Hashable) -> int | None:
        with self._lock:
            kept = self._by_engine.get(engine)
            found = kept.get(key) if kept is not None else None
        if found is None or found[0] != stamp:
            return None
        return int(found[1])

    def put(self, engine: Engine, key: Hashable, stamp: Hashable, value: int) -> None:
        with self._lock:
            kept = self._by_engine.setdefault(engine, OrderedDict())
            kept[key] = (stamp, value)
            kept.move_to_end(key)
            while len(kept) > self._size:
                kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._by_engine.clear()


def change_stamp(session: Session, *ids: Any) -> tuple[object, ...]:
    """Something that changes whenever the rows of a list may have: the newest audit row's
    id (every change writes one) and the newest of each id column in ``ids`` (rows written
    without an audit row, such as a fixture load's, still add ids). Primary-key maxima:
    one index probe each."""
    columns = [sa.select(sa.func.max(col(AuditLog.id))).scalar_subquery()]
    columns += [sa.select(sa.func.max(column)).scalar_subquery() for column in ids]
    return tuple(session.execute(sa.select(*columns)).one())
