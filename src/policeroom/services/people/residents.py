"""Residents (居民): validation, search keys written with the record, lists and search.

Every search kind is an index lookup, never a scan of the table:

============  ===========================================  ===================================
kind          typed                                         index
============  ===========================================  ===================================
``GRAM``      1–2 characters of a name (三, 张三)            ``resident_name_gram`` (gram, pinyin)
``GRAM_LIKE`` 3+ characters (欧阳明)                        gram of the first two, then LIKE
``LETTERS``   pinyin initials or full pinyin (zs, zhangsan) ranges on initials and pinyin
``DIGITS``    4+ last digits of a phone or ID (8000, 002X)  ranges on the reversed numbers
============  ===========================================  ===================================

Lists are ordered by (name_pinyin, id): ``page_after`` walks them by keyset, ``window`` jumps
to an offset for a scrollbar, ``count`` sizes it.

When a search key drives the query, the other filters are written so that they cannot drive
it (``archived IS NOT 1``, ``grid_id + 0``): SQLite without ``ANALYZE`` statistics takes an
equality on the leading ``archived`` column for a selective one and would rather walk the
whole list index than sort a few matches.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, false, func, or_, true
from sqlmodel import Session, col, delete, select

from policeroom.i18n import _
from policeroom.labels import label
from policeroom.models.audit import AuditAction
from policeroom.models.disputes import (
    Dispute,
    DisputeCategory,
    DisputeParty,
    DisputeStatus,
    PartyRole,
)
from policeroom.models.org import Grid, Staff
from policeroom.models.people import (
    Gender,
    Household,
    HouseholdCreate,
    Resident,
    ResidentBase,
    ResidentCreate,
    ResidentNameGram,
    ResidentTag,
    ResidentTagKind,
    ResidentUpdate,
    Visit,
    VisitResident,
)
from policeroom.services.core import audit, requests, scope
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import Forbidden, NotFound, ValidationError
from policeroom.services.core.fields import Problems
from policeroom.services.core.locking import save_versioned
from policeroom.services.core.name_keys import name_keys, prefix_upper_bound, reversed_digits
from policeroom.services.core.name_search import SearchKind, parse_search
from policeroom.services.core.paging import (
    DEFAULT_PAGE_SIZE,
    CountCache,
    Page,
    change_stamp,
    clamp_page_size,
)
from policeroom.services.core.reveal import Reason
from policeroom.services.core.reveal import check as check_reason
from policeroom.services.core.validation import (
    IdCheck,
    InvalidValue,
    check_birth_date,
    check_id_number,
)
from policeroom.services.org import tree
from policeroom.services.people import visits

REVEALABLE = ("id_number", "phone", "birth_date")


# --- plain data for the UI ---------------------------------------------------------------


@dataclass(frozen=True)
class ResidentQuery:
    """What a resident list shows: a grid's subtree, a search text, a tag; current or archived."""

    grid_id: int | None = None
    text: str = ""
    tag: ResidentTagKind | None = None
    archived: bool = False
    # Only those a visit from the first day to the last met (the statistics' "visited"), or
    # with ``not_visited`` those none met (its "not visited").
    visited_in: tuple[date, date] | None = None
    not_visited: bool = False
    # Only those who installed the anti-fraud app from the first day to the last.
    installed_in: tuple[date, date] | None = None


@dataclass(frozen=True)
class ResidentRow:
    """One line of a resident list; ID and phone are masked."""

    id: int
    name: str
    name_pinyin: str
    gender: Gender
    birth_date: date | None
    id_number_masked: str
    phone_masked: str
    address: str
    grid_id: int
    grid_name: str
    anti_fraud_installed: bool
    archived: bool
    version: int

    @property
    def cursor(self) -> tuple[object, ...]:
        return (self.name_pinyin, self.id)


@dataclass(frozen=True)
class HouseholdMember:
    id: int
    name: str
    role: str


@dataclass(frozen=True)
class HouseholdRow:
    id: int
    code: str
    address: str
    grid_id: int


@dataclass(frozen=True)
class DisputeBrief:
    """A dispute a resident is party to, as the resident card lists it."""

    id: int
    number: str
    category: DisputeCategory
    status: DisputeStatus
    reported_on: date
    role: PartyRole


@dataclass(frozen=True)
class ResidentCard:
    """Everything about one resident, with ID and phone masked (``reveal`` shows them).

    The birth date is part of an ID number: with one on record, ``birth_date`` is None and
    ``birth_date_hidden`` True (``reveal`` shows it), so a masked card cannot give the hidden
    digits away. The age in years stays.
    """

    id: int
    name: str
    gender: Gender
    birth_date: date | None
    age: int | None
    id_number_masked: str
    phone_masked: str
    address: str
    grid_id: int
    grid_code: str
    grid_path_names: tuple[str, ...]
    household: HouseholdRow | None
    household_role: str
    household_members: tuple[HouseholdMember, ...]
    tags: tuple[ResidentTagKind, ...]
    anti_fraud_installed: bool
    anti_fraud_on: date | None
    anti_fraud_by: str
    notes: str
    archived: bool
    visits: tuple[visits.VisitRow, ...]
    disputes: tuple[DisputeBrief, ...]
    version: int
    birth_date_hidden: bool = False
    # Read through ``lookup_by_id_number`` from outside the actor's police rooms: shown,
    # never changed from here.
    foreign: bool = False


@dataclass(frozen=True)
class Saved:
    """A stored resident: its id, new version, and warnings that did not stop the save."""

    id: int
    version: int
    warnings: tuple[str, ...] = field(default=())


# --- masking -----------------------------------------------------------------------------


def mask_id(number: str | None) -> str:
    """``110105199001010023`` → ``110105********0023`` (region and last four stay)."""
    text = number or ""
    if len(text) >= 10:
        return text[:6] + "*" * (len(text) - 10) + text[-4:]
    return "*" * max(0, len(text) - 2) + text[-2:] if text else ""


def mask_phone(number: str | None) -> str:
    """``13800138000`` → ``138****8000``."""
    text = number or ""
    if len(text) >= 8:
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    return "*" * max(0, len(text) - 2) + text[-2:] if text else ""


def age_on(birth_date: date | None, today: date) -> int | None:
    if birth_date is None:
        return None
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


# --- search keys -------------------------------------------------------------------------


def search_columns(name: str, phone: str, id_number: str | None) -> dict[str, str]:
    """The search-key columns of a resident row, for bulk writers (fixtures, generator)."""
    keys = name_keys(name)
    return {
        "name_pinyin": keys.pinyin,
        "name_initials": keys.initials,
        "phone_rev": reversed_digits(phone or ""),
        "id_rev": reversed_digits(id_number or ""),
    }


def gram_rows(resident_id: int, name: str, name_pinyin: str) -> list[dict[str, Any]]:
    """The ``resident_name_gram`` rows of one resident, for bulk writers."""
    return [
        {"gram": gram, "resident_id": resident_id, "name_pinyin": name_pinyin}
        for gram in sorted(name_keys(name).grams)
    ]


def _range(column: Any, prefix: str) -> ColumnElement[bool]:
    # ``>= prefix AND < bound`` is an index range; ``LIKE prefix || '%'`` is not.
    return (col(column) >= prefix) & (col(column) < prefix_upper_bound(prefix))


_ROW_COLUMNS: tuple[Any, ...] = (
    col(Resident.id),
    col(Resident.name),
    col(Resident.name_pinyin),
    col(Resident.gender),
    col(Resident.birth_date),
    col(Resident.id_number),
    col(Resident.phone),
    col(Resident.address),
    col(Resident.grid_id),
    col(Grid.name).label("grid_name"),
    col(Resident.anti_fraud_installed),
    col(Resident.archived),
    col(Resident.version),
)


@dataclass(frozen=True)
class _Shape:
    statement: Any
    order: tuple[Any, Any]


def _shape(
    session: Session | None,
    q: ResidentQuery,
    columns: tuple[Any, ...],
    with_grid: bool,
    ctx: ServiceContext | None = None,
) -> _Shape:
    parsed = parse_search(q.text)
    archived = true() if q.archived else false()
    key_driven = True
    order: tuple[Any, Any] = (col(Resident.name_pinyin), col(Resident.id))
    if parsed.kind in (SearchKind.GRAM, SearchKind.GRAM_LIKE):
        statement = (
            sa.select(*columns)
            .select_from(ResidentNameGram)
            .join(Resident, col(Resident.id) == col(ResidentNameGram.resident_id))
            .where(col(ResidentNameGram.gram) == parsed.key[:2])
        )
        if parsed.kind is SearchKind.GRAM_LIKE:
            statement = statement.where(col(Resident.name).contains(parsed.key, autoescape=True))
        order = (col(ResidentNameGram.name_pinyin), col(ResidentNameGram.resident_id))
    elif parsed.kind is SearchKind.LETTERS and len(parsed.key) == 1:
        # Every initial is the first letter of the pinyin, so one letter is one range,
        # already in list order.
        statement = (
            sa.select(*columns)
            .select_from(Resident)
            .where(col(Resident.archived) == archived, _range(Resident.name_pinyin, parsed.key))
        )
    elif parsed.kind in (SearchKind.LETTERS, SearchKind.DIGITS):
        if parsed.kind is SearchKind.LETTERS:
            ranges = [
                _range(Resident.name_initials, parsed.key),
                (col(Resident.archived) == archived) & _range(Resident.name_pinyin, parsed.key),
            ]
        else:
            reversed_key = reversed_digits(parsed.key)
            ranges = [_range(Resident.id_rev, reversed_key)]
            if not parsed.key.endswith("X"):
                ranges.append(_range(Resident.phone_rev, reversed_key))
        if len(ranges) == 1:
            statement = sa.select(*columns).select_from(Resident).where(ranges[0])
        else:
            # A UNION of index ranges, materialised first: planners otherwise read an OR of
            # two ranges as a walk along the list order.
            matches = sa.union(*(sa.select(col(Resident.id)).where(r) for r in ranges)).subquery(
                "matches"
            )
            statement = (
                sa.select(*columns)
                .select_from(matches)
                .join(Resident, col(Resident.id) == matches.c.id)
            )
    elif parsed.kind is SearchKind.ALL:
        key_driven = False
        statement = (
            sa.select(*columns).select_from(Resident).where(col(Resident.archived) == archived)
        )
    else:
        statement = sa.select(*columns).select_from(Resident).where(false())
    if key_driven:
        # ``IS NOT`` is the one comparison SQLite never takes to an index.
        statement = statement.where(col(Resident.archived).is_not(not q.archived))
    if with_grid:
        statement = statement.join(Grid, col(Grid.id) == col(Resident.grid_id))
    if ctx is not None and not scope.everywhere(ctx.actor):
        # Like the grid filter below: ``+ 0`` so the room's grids filter the search's index
        # range instead of driving it.
        scoped: Any = col(Resident.grid_id) + 0 if key_driven else col(Resident.grid_id)
        statement = statement.where(scope.grids_clause(ctx, scoped))
    if q.grid_id is not None:
        assert session is not None, "a grid's level is read from the database"
        found = tree.level_of(session, q.grid_id)
        if found is None:
            raise NotFound(_("no grid with number {id}").format(id=q.grid_id))
        level, path = found
        # ``grid_id + 0`` filters a search without being able to drive it; a plain list is
        # driven by the (grid_id, archived, name_pinyin, id) index instead.
        grid_column: Any = col(Resident.grid_id) + 0 if key_driven else col(Resident.grid_id)
        if level == 3:
            statement = statement.where(grid_column == q.grid_id)
        else:
            area = select(Grid.id).where(tree.path_condition(path), col(Grid.level) == 3)
            statement = statement.where(grid_column.in_(area))
    if q.tag is not None:
        statement = statement.where(
            col(Resident.id).in_(
                select(ResidentTag.resident_id).where(col(ResidentTag.tag) == q.tag)
            )
        )
    if q.visited_in is not None:
        first, last = q.visited_in
        visited = col(Resident.id).in_(
            select(VisitResident.resident_id)
            .join(Visit, col(Visit.id) == col(VisitResident.visit_id))
            .where(col(Visit.visit_date) >= first, col(Visit.visit_date) <= last)
        )
        statement = statement.where(~visited if q.not_visited else visited)
    if q.installed_in is not None:
        first, last = q.installed_in
        statement = statement.where(
            col(Resident.anti_fraud_installed).is_(True),
            col(Resident.anti_fraud_on) >= first,
            col(Resident.anti_fraud_on) <= last,
        )
    return _Shape(statement, order)


def select_rows(
    session: Session,
    q: ResidentQuery,
    after: tuple[object, ...] | None = None,
    limit: int | None = DEFAULT_PAGE_SIZE,
    *,
    start: tuple[object, ...] | None = None,
    from_end: bool = False,
    ctx: ServiceContext | None = None,
) -> Any:
    """The statement behind ``page_after`` and ``window`` (exposed so tests can read its plan).

    Rows come after the cursor ``after``, or from the cursor ``start`` on; ``from_end``
    reads the list backwards from its last row (the same index, walked the other way).
    Columns are ``_ROW_COLUMNS`` plus the order key as ``sort_key``. With ``ctx``, only the
    rows of the actor's police rooms.
    """
    if q.grid_id is None and after is None and start is None and _unlimited(ctx):
        return _first_rows(q, limit, from_end)
    return _rows_statement(session, q, after, limit, start, from_end, ctx)


def _unlimited(ctx: ServiceContext | None) -> bool:
    """True when the actor sees every room: the statements and counts kept for one list
    are then the same for everybody (a limited actor's are made each time)."""
    return ctx is None or scope.everywhere(ctx.actor)


@functools.lru_cache(maxsize=256)
def _first_rows(q: ResidentQuery, limit: int | None, from_end: bool) -> Any:
    # Building the statement took a third of a page's time; with no grid (whose level is
    # read from the database) and no room limit it depends on its arguments alone, and a
    # statement is immutable, so each list's first page is built once.
    return _rows_statement(None, q, None, limit, None, from_end)


def _rows_statement(
    session: Session | None,
    q: ResidentQuery,
    after: tuple[object, ...] | None,
    limit: int | None,
    start: tuple[object, ...] | None,
    from_end: bool,
    ctx: ServiceContext | None = None,
) -> Any:
    shape = _shape(session, q, _ROW_COLUMNS, True, ctx)
    statement = shape.statement.add_columns(shape.order[0].label("sort_key"))
    if after is not None:
        statement = statement.where(sa.tuple_(*shape.order) > sa.tuple_(*after))
    if start is not None:
        statement = statement.where(sa.tuple_(*shape.order) >= sa.tuple_(*start))
    if from_end:
        statement = statement.order_by(*(column.desc() for column in shape.order))
    else:
        statement = statement.order_by(*shape.order)
    if limit is not None:
        statement = statement.limit(limit)
    return statement


def select_key_at(
    session: Session,
    q: ResidentQuery,
    offset: int,
    *,
    from_end: bool = False,
    ctx: ServiceContext | None = None,
) -> Any:
    """The order key of the row at ``offset`` (counted from the last row with ``from_end``),
    read from the index alone where it can be.

    ``OFFSET`` over full rows makes SQLite read every skipped row (0.4 s at 250,000);
    skipping over the covering index and then reading one keyset page is 20 times faster.
    """
    shape = _shape(session, q, (), False, ctx)
    order = [column.desc() for column in shape.order] if from_end else list(shape.order)
    return shape.statement.with_only_columns(*shape.order).order_by(*order).offset(offset).limit(1)


def _to_row(found: Any) -> ResidentRow:
    # By position (``_ROW_COLUMNS``, then ``sort_key``): a row's attributes are looked up
    # by name one at a time, which was a quarter of a page's time.
    (
        resident_id,
        name,
        _pinyin,
        gender,
        birth_date,
        id_number,
        phone,
        address,
        grid_id,
        grid_name,
        anti_fraud_installed,
        archived,
        version,
        sort_key,
    ) = found
    return ResidentRow(
        resident_id,
        name,
        sort_key,
        gender,
        birth_date,
        mask_id(id_number),
        mask_phone(phone),
        address,
        grid_id,
        grid_name,
        anti_fraud_installed,
        archived,
        version,
    )


# Counts of the lists shown, kept while no resident has changed (``CountCache`` says why).
_COUNTS = CountCache()


def _count(session: Session, q: ResidentQuery, ctx: ServiceContext | None = None) -> int:
    if not _unlimited(ctx):
        # A room-limited list is counted as it is (it is a room's, not the branch's, size).
        shape = _shape(session, q, (func.count(),), False, ctx)
        return int(session.execute(shape.statement).scalar_one())
    stamp = change_stamp(session, col(Resident.id))
    engine = session.get_bind()
    assert isinstance(engine, sa.Engine)
    known = _COUNTS.get(engine, q, stamp)
    if known is not None:
        return known
    total = _count_by_difference(session, q)
    if total is None:
        shape = _shape(session, q, (func.count(),), False)
        total = int(session.execute(shape.statement).scalar_one())
    _COUNTS.put(engine, q, stamp, total)
    return total


def _count_by_difference(session: Session, q: ResidentQuery) -> int | None:
    """The current residents, or those with a name piece, counted as all of them less the
    archived ones; None when ``q`` has a filter this cannot answer.

    Counting the list itself visits every row it holds (the whole list: 40 ms at 300,000;
    张: 26,000 look-ups of the resident's ``archived``, 110 ms). ``count(*)`` of a whole
    table or of one gram's index range reads the index alone (2 ms each), and the archived
    ones are a short range of the ``archived`` index, probed into the gram key.
    """
    if (
        q.archived
        or q.grid_id is not None
        or q.tag is not None
        or q.visited_in is not None
        or q.installed_in is not None
    ):
        return None
    parsed = parse_search(q.text)
    archived = col(Resident.archived) == true()
    if parsed.kind is SearchKind.ALL:
        every = sa.select(func.count()).select_from(Resident)
        gone = sa.select(func.count()).select_from(Resident).where(archived)
    elif parsed.kind is SearchKind.GRAM:
        has_gram = col(ResidentNameGram.gram) == parsed.key
        every = sa.select(func.count()).select_from(ResidentNameGram).where(has_gram)
        gone = (
            sa.select(func.count())
            .select_from(Resident)
            .join(ResidentNameGram, col(ResidentNameGram.resident_id) == col(Resident.id))
            .where(archived, has_gram)
        )
    else:
        return None
    difference = every.scalar_subquery() - gone.scalar_subquery()
    return int(session.execute(sa.select(difference)).scalar_one())


def count(ctx: ServiceContext, q: ResidentQuery) -> int:
    """How many residents the list ``q`` holds (counted once per filter until a change)."""
    with ctx.read() as session:
        return _count(session, q, ctx)


def window(ctx: ServiceContext, q: ResidentQuery, offset: int, limit: int) -> list[ResidentRow]:
    """``limit`` rows starting at position ``offset`` of the list (a scrollbar jump).

    No read skips more than half the list: a window in the second half is found from the
    end (the index walked backwards), and the last rows (``end``) are one backward keyset
    read with no skipping at all, so ``end`` costs what ``home`` does.
    """
    limit = clamp_page_size(limit)
    with ctx.read() as session:
        start = None
        if offset > 0:
            total = _count(session, q, ctx)
            if offset >= total:
                return []
            if offset + limit >= total:
                statement = select_rows(session, q, None, total - offset, from_end=True, ctx=ctx)
                found = session.connection().execute(statement).all()
                return [_to_row(row) for row in reversed(found)]
            if offset > total // 2:
                key = select_key_at(session, q, total - 1 - offset, from_end=True, ctx=ctx)
            else:
                key = select_key_at(session, q, offset, ctx=ctx)
            start = session.execute(key).first()
            if start is None:
                return []
        statement = select_rows(session, q, None, limit, start=start, ctx=ctx)
        # Core rows straight from the connection: the ORM's execute adds a fifth to a page.
        return [_to_row(found) for found in session.connection().execute(statement).all()]


def page_after(
    ctx: ServiceContext,
    q: ResidentQuery,
    after: tuple[object, ...] | None,
    size: int = DEFAULT_PAGE_SIZE,
) -> Page[ResidentRow]:
    """The ``size`` rows after the cursor ``after`` (None: the first page)."""
    size = clamp_page_size(size)
    with ctx.read() as session:
        found = session.execute(select_rows(session, q, after, size + 1, ctx=ctx)).all()
    rows = [_to_row(row) for row in found[:size]]
    return Page(rows, rows[-1].cursor if len(found) > size and rows else None)


def search(ctx: ServiceContext, text: str, limit: int = 20) -> list[ResidentRow]:
    """Residents matching ``text`` for the command palette; nothing for an empty text."""
    if parse_search(text).kind in (SearchKind.ALL, SearchKind.NOTHING):
        return []
    return list(page_after(ctx, ResidentQuery(text=text), None, limit).rows)


def find_duplicates(ctx: ServiceContext, data: ResidentCreate) -> list[ResidentRow]:
    """Residents already recorded with the same ID number, or the same name and phone."""
    conditions = []
    number = "".join((data.id_number or "").split()).upper()
    if number:
        conditions.append(col(Resident.id_number) == number)
    # The schema has stripped the name and put the mobile number in its stored form.
    if data.name and data.phone:
        conditions.append((col(Resident.name) == data.name) & (col(Resident.phone) == data.phone))
    if not conditions:
        return []
    with ctx.read() as session:
        statement = (
            sa.select(*_ROW_COLUMNS, col(Resident.name_pinyin).label("sort_key"))
            .join(Grid, col(Grid.id) == col(Resident.grid_id))
            .where(or_(*conditions), scope.grids_clause(ctx, Resident.grid_id))
            .order_by(col(Resident.name_pinyin), col(Resident.id))
            .limit(20)
        )
        return [_to_row(found) for found in session.execute(statement).all()]


# --- one resident ------------------------------------------------------------------------


def _load(
    session: Session, resident_id: int, ctx: ServiceContext | None = None, write: bool = False
) -> Resident:
    """The resident; with ``ctx``, one outside the actor's rooms is not there for a read
    and refused for a ``write``."""
    resident = session.get(Resident, resident_id)
    if resident is not None and ctx is not None:
        if write:
            scope.require_grid(session, ctx, resident.grid_id)
        elif not scope.sees_grid(session, ctx, resident.grid_id):
            resident = None
    if resident is None:
        raise NotFound(_("no resident with number {id}").format(id=resident_id))
    return resident


def _tags(session: Session, resident_id: int) -> list[ResidentTagKind]:
    found = session.exec(
        select(ResidentTag.tag).where(col(ResidentTag.resident_id) == resident_id)
    ).all()
    return sorted(ResidentTagKind(tag) for tag in found)


def card(ctx: ServiceContext, resident_id: int) -> ResidentCard:
    """Everything about one resident, read in one snapshot."""
    with ctx.read() as session:
        return _card(session, ctx, _load(session, resident_id, ctx))


def lookup_by_id_number(ctx: ServiceContext, id_number: str) -> ResidentCard:
    """The card of the resident with this full ID number, in any police room: a resident who
    walks in from elsewhere. The one read across a room's border, so it takes the whole
    number (no partial search), needs the reveal permission and is audited as a lookup."""
    number = "".join(id_number.split()).upper()
    if not number:
        raise ValidationError.single("id_number", _("type the full ID number"))
    try:
        check_id_number(number, ctx.clock.today())
    except InvalidValue as error:
        raise ValidationError.single("id_number", str(error)) from error
    if not ctx.actor.can_reveal:
        raise Forbidden(
            _("user {login} may not look residents up by ID number").format(login=ctx.actor.login)
        )
    with ctx.transaction() as session:
        resident = session.exec(select(Resident).where(col(Resident.id_number) == number)).first()
        if resident is None or resident.id is None:
            raise NotFound(_("no resident with this ID number"))
        audit.record(session, ctx, AuditAction.REVEAL, "resident", resident.id, field="lookup")
        found = _card(session, ctx, resident)
        return replace(found, foreign=not scope.sees_grid(session, ctx, resident.grid_id))


def _card(session: Session, ctx: ServiceContext, resident: Resident) -> ResidentCard:
    today = ctx.clock.today()
    resident_id = resident.id
    assert resident_id is not None
    *_above, grid = lineage = tree.lineage(session, resident.grid_id)
    household = session.get(Household, resident.household_id) if resident.household_id else None
    members: list[HouseholdMember] = []
    if household is not None:
        members = [
            HouseholdMember(member_id, name, role)
            for member_id, name, role in session.exec(
                select(Resident.id, Resident.name, Resident.household_role)
                .where(
                    col(Resident.household_id) == household.id,
                    col(Resident.id) != resident_id,
                    col(Resident.archived) == false(),
                )
                .order_by(col(Resident.name_pinyin))
                .limit(50)
            ).all()
            if member_id is not None
        ]
    installer = session.get(Staff, resident.anti_fraud_by_id) if resident.anti_fraud_by_id else None
    disputes = [
        DisputeBrief(d_id, number, category, status, reported_on, PartyRole(role))
        for d_id, number, category, status, reported_on, role in session.execute(
            sa.select(
                col(Dispute.id),
                col(Dispute.number),
                col(Dispute.category),
                col(Dispute.status),
                col(Dispute.reported_on),
                col(DisputeParty.role),
            )
            .join(DisputeParty, col(DisputeParty.dispute_id) == col(Dispute.id))
            .where(col(DisputeParty.resident_id) == resident_id)
            .order_by(col(Dispute.reported_on).desc(), col(Dispute.id).desc())
            .limit(50)
        ).all()
        if d_id is not None
    ]
    tags = _tags(session, resident_id)
    recent_visits = visits.resident_visits(session, resident_id, limit=10, ctx=ctx)
    assert resident.id is not None
    hides_birth = bool(resident.id_number) and resident.birth_date is not None
    return ResidentCard(
        id=resident.id,
        name=resident.name,
        gender=resident.gender,
        birth_date=None if hides_birth else resident.birth_date,
        age=age_on(resident.birth_date, today),
        id_number_masked=mask_id(resident.id_number),
        phone_masked=mask_phone(resident.phone),
        address=resident.address,
        grid_id=resident.grid_id,
        grid_code=grid.code,
        grid_path_names=tuple(g.name for g in lineage),
        household=HouseholdRow(household.id, household.code, household.address, household.grid_id)
        if household is not None and household.id is not None
        else None,
        household_role=resident.household_role,
        household_members=tuple(members),
        tags=tuple(tags),
        anti_fraud_installed=resident.anti_fraud_installed,
        anti_fraud_on=resident.anti_fraud_on,
        anti_fraud_by=installer.name if installer else "",
        notes=resident.notes,
        archived=resident.archived,
        visits=tuple(recent_visits),
        disputes=tuple(disputes),
        version=resident.version,
        birth_date_hidden=hides_birth,
    )


def reveal(
    ctx: ServiceContext, resident_id: int, field_name: str, *, reason: Reason | None = None
) -> str:
    """The unmasked ID or phone number; needs the permission and a reason (``reveal.check``),
    and is written to the audit log with that reason."""
    return reveal_numbers(ctx, resident_id, (field_name,), reason=reason)[0]


def reveal_numbers(
    ctx: ServiceContext,
    resident_id: int,
    field_names: tuple[str, ...],
    *,
    reason: Reason | None = None,
) -> tuple[str, ...]:
    """Several unmasked fields of one resident in one transaction, one audit row each, every
    row carrying the reason; nothing is shown or written without a valid reason."""
    for field_name in field_names:
        if field_name not in REVEALABLE:
            raise ValidationError.single(
                "field", _("only {fields} can be revealed").format(fields=", ".join(REVEALABLE))
            )
    if not ctx.actor.can_reveal:
        raise Forbidden(
            _("user {login} may not see unmasked ID and phone numbers").format(
                login=ctx.actor.login
            )
        )
    why = check_reason(reason).audit_detail()
    with ctx.transaction() as session:
        resident = _load(session, resident_id, ctx)
        shown = []
        for field_name in field_names:
            raw = getattr(resident, field_name)
            shown.append(raw.isoformat() if isinstance(raw, date) else str(raw or ""))
            audit.record(
                session,
                ctx,
                AuditAction.REVEAL,
                "resident",
                resident_id,
                after=why,
                field=field_name,
            )
        return tuple(shown)


# --- validation and writing --------------------------------------------------------------


def _check(
    session: Session,
    today: date,
    values: dict[str, Any],
    given: set[str],
    resident_id: int | None,
    problems: Problems | None = None,
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Every field of a resident checked at once; returns clean values and warnings.

    The schema has checked lengths and the name; here are the ID number, the phone number,
    the grid and the household, which need the libraries, today's date or the database.
    """
    problems = problems or Problems()
    clean = dict(values)
    warnings: tuple[str, ...] = ()
    identity: IdCheck | None = None
    raw_id = "".join((values.get("id_number") or "").split())
    if raw_id:
        try:
            identity = check_id_number(raw_id, today)
        except InvalidValue as error:
            problems.add("id_number", str(error))
    clean["id_number"] = identity.number if identity else (raw_id or None)
    if identity is not None:
        warnings = identity.warnings
        holder = session.exec(
            select(Resident.id, Resident.name).where(
                col(Resident.id_number) == identity.number, col(Resident.id) != resident_id
            )
        ).first()
        if holder is not None:
            problems.add(
                "id_number",
                _("this ID number is already recorded for {name} (no. {id})").format(
                    name=holder[1], id=holder[0]
                ),
            )
        born = values.get("birth_date")
        if "birth_date" in given and born is not None and born != identity.birth_date:
            problems.add(
                "birth_date",
                _("the ID number says {d}").format(d=identity.birth_date.isoformat()),
            )
        gender = Gender.MALE if identity.is_male else Gender.FEMALE
        stated = values.get("gender")
        if "gender" in given and stated not in (None, Gender.UNKNOWN, gender):
            problems.add("gender", _("the ID number says {g}").format(g=label(gender)))
        clean["birth_date"] = identity.birth_date
        clean["gender"] = gender
    else:
        born = values.get("birth_date")
        if born is not None:
            try:
                check_birth_date(born, today)
            except InvalidValue as error:
                problems.add("birth_date", str(error))
        clean["gender"] = values.get("gender") or Gender.UNKNOWN
    grid_id = values.get("grid_id")
    if grid_id is None:
        problems.add("grid_id", _("choose the level-3 grid the resident lives in"))
    else:
        grid = session.get(Grid, grid_id)
        if grid is None:
            problems.add("grid_id", _("no grid with number {id}").format(id=grid_id))
        elif grid.level != 3:
            problems.add(
                "grid_id",
                _("residents live in a level-3 grid; {name} is at level {n}").format(
                    name=grid.name, n=grid.level
                ),
            )
        elif grid.archived:
            problems.add("grid_id", _("grid {name} is archived").format(name=grid.name))
    household_id = values.get("household_id")
    if household_id is not None:
        household = session.get(Household, household_id)
        if household is None:
            problems.add("household_id", _("no household with number {id}").format(id=household_id))
        elif grid_id is not None and household.grid_id != grid_id:
            problems.add("household_id", _("the household belongs to another grid"))
    clean["tags"] = sorted(set(values.get("tags") or []))
    problems.raise_if_any(_("resident {name}").format(name=clean["name"]).strip())
    return clean, warnings


def check(
    ctx: ServiceContext, data: ResidentCreate, resident_id: int | None = None
) -> tuple[str, ...]:
    """Check a form without saving: raises ``ValidationError``, returns warnings."""
    given = set(data.model_fields_set)
    with ctx.read() as session:
        return _check(session, ctx.clock.today(), data.model_dump(), given, resident_id)[1]


def _write_keys(session: Session, resident_id: int, name: str, name_pinyin: str) -> None:
    session.execute(
        delete(ResidentNameGram).where(col(ResidentNameGram.resident_id) == resident_id)
    )
    session.execute(sa.insert(ResidentNameGram), gram_rows(resident_id, name, name_pinyin))


def _write_tags(session: Session, resident_id: int, tags: list[ResidentTagKind]) -> None:
    session.execute(delete(ResidentTag).where(col(ResidentTag.resident_id) == resident_id))
    for tag in tags:
        session.add(ResidentTag(resident_id=resident_id, tag=tag))


def create(ctx: ServiceContext, data: ResidentCreate) -> Saved:
    """Record a new resident with search keys, name pieces and tags."""
    ctx.require_write()
    with ctx.transaction() as session:
        made = requests.earlier(session, ctx, "resident")
        if made is not None:
            return Saved(made, _load(session, made).version, ())
        clean, warnings = _check(
            session, ctx.clock.today(), data.model_dump(), set(data.model_fields_set), None
        )
        scope.require_grid(session, ctx, clean["grid_id"])
        tags = clean.pop("tags")
        now = ctx.clock.now()
        values = clean | search_columns(clean["name"], clean["phone"], clean["id_number"])
        resident = Resident(**values, created_at=now, updated_at=now)
        session.add(resident)
        session.flush()
        assert resident.id is not None
        _write_keys(session, resident.id, resident.name, resident.name_pinyin)
        _write_tags(session, resident.id, tags)
        after = audit.snapshot(resident) | {"tags": [tag.value for tag in tags]}
        audit.record(session, ctx, AuditAction.CREATE, "resident", resident.id, None, after)
        requests.remember(session, ctx, "resident", resident.id)
        return Saved(resident.id, resident.version, warnings)


_EDITABLE = (
    "name",
    "id_number",
    "phone",
    "gender",
    "birth_date",
    "address",
    "grid_id",
    "household_id",
    "household_role",
    "notes",
)


def update(
    ctx: ServiceContext, resident_id: int, data: ResidentUpdate, expected_version: int
) -> Saved:
    """Change the fields set in ``data``; a stale ``expected_version`` changes nothing."""
    ctx.require_write()
    with ctx.transaction() as session:
        resident = _load(session, resident_id, ctx, write=True)
        current = {name: getattr(resident, name) for name in _EDITABLE}
        current["tags"] = _tags(session, resident_id)
        before = audit.snapshot(resident) | {"tags": [tag.value for tag in current["tags"]]}
        given = set(data.model_fields_set)
        problems = Problems()
        values = current | problems.changes(data, ResidentBase)
        clean, warnings = _check(session, ctx.clock.today(), values, given, resident_id, problems)
        # Moving a resident to another room's grid is handing them over: that room's work.
        scope.require_grid(session, ctx, clean["grid_id"])
        tags = clean.pop("tags")
        keys = search_columns(clean["name"], clean["phone"], clean["id_number"])
        version = save_versioned(
            session,
            Resident,
            resident_id,
            expected_version,
            {**clean, **keys, "updated_at": ctx.clock.now()},
        )
        if clean["name"] != current["name"]:
            _write_keys(session, resident_id, clean["name"], keys["name_pinyin"])
        if tags != current["tags"]:
            _write_tags(session, resident_id, tags)
        session.flush()
        session.refresh(resident)
        after = audit.snapshot(resident) | {"tags": [tag.value for tag in tags]}
        old, new = audit.diff(before, after)
        audit.record(session, ctx, AuditAction.UPDATE, "resident", resident_id, old, new)
        return Saved(resident_id, version, warnings)


def archive(
    ctx: ServiceContext, resident_id: int, expected_version: int, archived: bool = True
) -> Saved:
    """Take a resident off the lists (moved away, deceased) — or back on; nothing is deleted."""
    ctx.require_write()
    with ctx.transaction() as session:
        resident = _load(session, resident_id, ctx, write=True)
        was = resident.archived
        version = save_versioned(
            session,
            Resident,
            resident_id,
            expected_version,
            {"archived": archived, "updated_at": ctx.clock.now()},
        )
        audit.record(
            session,
            ctx,
            AuditAction.ARCHIVE if archived else AuditAction.UPDATE,
            "resident",
            resident_id,
            {"archived": was},
            {"archived": archived},
        )
        return Saved(resident_id, version)


def mark_anti_fraud(
    ctx: ServiceContext, resident_id: int, on: bool, staff_id: int | None, expected_version: int
) -> Saved:
    """Record that the resident installed the national anti-fraud app (国家反诈中心), or not."""
    ctx.require_write()
    with ctx.transaction() as session:
        resident = _load(session, resident_id, ctx, write=True)
        problems = Problems()
        problems.reference(session, "staff_id", Staff, staff_id, _("staff member"))
        problems.raise_if_any(_("resident {name}").format(name=resident.name))
        fields = ["anti_fraud_installed", "anti_fraud_on", "anti_fraud_by_id"]
        before = audit.snapshot(resident, fields)
        values: dict[str, Any] = {
            "anti_fraud_installed": on,
            "anti_fraud_on": ctx.clock.today() if on else None,
            "anti_fraud_by_id": staff_id if on else None,
        }
        version = save_versioned(
            session,
            Resident,
            resident_id,
            expected_version,
            {**values, "updated_at": ctx.clock.now()},
        )
        session.refresh(resident)
        old, new = audit.diff(before, audit.snapshot(resident, fields))
        audit.record(session, ctx, AuditAction.UPDATE, "resident", resident_id, old, new)
        return Saved(resident_id, version)


# --- households --------------------------------------------------------------------------


def create_household(ctx: ServiceContext, data: HouseholdCreate) -> HouseholdRow:
    ctx.require_write()
    with ctx.transaction() as session:
        problems = Problems()
        code = data.code
        if session.exec(select(Household.id).where(col(Household.code) == code)).first():
            problems.add("code", _("code {code} is already used").format(code=code))
        grid = problems.reference(session, "grid_id", Grid, data.grid_id, _("grid"))
        if grid is not None and grid.level != 3:
            problems.add("grid_id", _("a household is in a level-3 grid"))
        problems.raise_if_any(_("household"))
        scope.require_grid(session, ctx, data.grid_id)
        now = ctx.clock.now()
        household = Household.model_validate(data, update={"created_at": now, "updated_at": now})
        session.add(household)
        session.flush()
        assert household.id is not None
        audit.record(
            session,
            ctx,
            AuditAction.CREATE,
            "household",
            household.id,
            None,
            audit.snapshot(household),
        )
        return HouseholdRow(household.id, household.code, household.address, household.grid_id)


def find_households(
    ctx: ServiceContext, grid_id: int, text: str = "", limit: int = 50
) -> list[HouseholdRow]:
    """Households of one level-3 grid whose code or address contains ``text``."""
    statement = select(Household).where(
        col(Household.grid_id) == grid_id, scope.grids_clause(ctx, Household.grid_id)
    )
    if text.strip():
        statement = statement.where(
            or_(
                col(Household.code).contains(text.strip(), autoescape=True),
                col(Household.address).contains(text.strip(), autoescape=True),
            )
        )
    with ctx.read() as session:
        return [
            HouseholdRow(h.id, h.code, h.address, h.grid_id)
            for h in session.exec(
                statement.order_by(col(Household.code)).limit(clamp_page_size(limit))
            ).all()
            if h.id is not None
        ]
