"""Every editable record has a version, and a stale save is refused and changes nothing:
response tiers and settings, which two desks used to overwrite silently, included."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import partial

import pytest

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models import metadata
from policeroom.models.disputes import DisputeCategory
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import StaleRecord
from policeroom.services.disputes import rules as dispute_rules
from policeroom.services.disputes.rules import Deadlines, Limits
from policeroom.services.duty import coverage, response
from policeroom.services.duty.response import TierInput
from tests.unit.races import Race

# Tables without a version, each with the reason no edit can be lost there. A new table
# that is not here must have a version column (the first test says so).
UNVERSIONED = {
    "audit_log": "append-only",
    "request_key": "append-only",
    "dispute_event": "append-only history of a dispute",
    "sweep_report": "confirmed once per room and week (unique), never edited",
    "mediation_session": "recorded once; the dispute's version guards its move",
    "follow_up": "done once, under a row lock and the dispute's version",
    "dispute_party": "written with its dispute, under the dispute's version",
    "response_arrival": "written with its call, under the call's version",
    "visit_resident": "written once with its visit",
    "resident_tag": "written with its resident, under the resident's version",
    "resident_name_gram": "search keys rewritten with the resident",
    "grid_administrator": "written with its grid, under the grid's version",
    "team_member": "written with its team, under the team's version",
    "audit_chain_head": "one row, moved under its row lock with every audit row",
    "grid_tally": "kept by database triggers, never written by a service",
    "grid_month_tally": "kept by database triggers, never written by a service",
    "grid_week_tally": "kept by database triggers, never written by a service",
    "grid_day_tally": "kept by database triggers, never written by a service",
    "resident_visit_day": "kept by database triggers, never written by a service",
    "room_month_tally": "kept by database triggers, never written by a service",
    "room_week_tally": "kept by database triggers, never written by a service",
    "room_day_tally": "kept by database triggers, never written by a service",
}


def test_every_editable_table_has_a_version() -> None:
    unversioned = {t.name for t in metadata.sorted_tables if "version" not in t.c}
    assert unversioned == set(UNVERSIONED)
    assert {"response_tier", "setting"} <= {t.name for t in metadata.sorted_tables} - unversioned


@pytest.fixture
def ctx(db: Database, clock: Clock) -> ServiceContext:
    return ServiceContext(db, clock=clock)


@pytest.fixture
def other(db: Database, clock: Clock) -> Iterator[ServiceContext]:
    """A second desk: its own engine on the same database."""
    second = Database.open(db.engine.url.render_as_string(hide_password=False))
    yield ServiceContext(second, clock=clock)
    second.dispose()


def test_a_stale_tier_save_is_refused(ctx: ServiceContext, other: ServiceContext) -> None:
    tier = response.ensure_default_tiers(ctx)[0]
    first = response.save_tier(
        other, TierInput(code="1", minutes=2, force="police_room"), tier.id, tier.version
    )
    with pytest.raises(StaleRecord):
        response.save_tier(
            ctx, TierInput(code="1", minutes=9, force="station"), tier.id, tier.version
        )
    now = response.tiers(ctx)[0]
    assert (now.minutes, now.force, now.version) == (2, "police_room", first.version)


def test_stale_roster_limits_are_refused(ctx: ServiceContext, other: ServiceContext) -> None:
    mine, theirs = coverage.limits(ctx), coverage.limits(other)
    assert mine.versions == {coverage.MIN_REST_KEY: 0, coverage.MAX_WEEK_KEY: 0}
    saved = coverage.set_limits(other, replace(theirs, max_week_hours=50))
    with pytest.raises(StaleRecord):
        coverage.set_limits(ctx, replace(mine, min_rest_hours=12))
    assert coverage.limits(ctx) == coverage.RosterLimits(8, 50)
    again = coverage.set_limits(ctx, replace(saved, min_rest_hours=12))  # reread: it saves
    assert again == coverage.RosterLimits(12, 50)
    assert again.versions == {coverage.MIN_REST_KEY: 2, coverage.MAX_WEEK_KEY: 2}


def test_stale_dispute_rules_are_refused(ctx: ServiceContext, other: ServiceContext) -> None:
    mine, theirs = dispute_rules.current(ctx), dispute_rules.current(other)
    dispute_rules.set_deadlines(other, Deadlines(registered=5), Limits(), theirs.versions)
    with pytest.raises(StaleRecord):
        dispute_rules.set_deadlines(ctx, Deadlines(registered=9), Limits(), mine.versions)
    assert dispute_rules.current(ctx).deadlines.registered == 5
    # Another setting the other desk did not touch saves over the same old read.
    dispute_rules.set_follow_up_rule(ctx, DisputeCategory.NEIGHBOURS, [{"days": 3}], mine.versions)
    assert dispute_rules.current(ctx).follow_up_offsets(DisputeCategory.NEIGHBOURS) == (
        {"days": 3},
    )


ROUNDS = 10


def test_two_desks_saving_one_tier_at_once_keep_one(
    db: Database, ctx: ServiceContext, other: ServiceContext
) -> None:
    tier = response.ensure_default_tiers(ctx)[1]
    version = tier.version
    with Race(db, other.db) as race:
        for round_ in range(ROUNDS):
            results = race.run(
                partial(
                    response.save_tier,
                    ctx,
                    TierInput(code="3", minutes=4, force="station"),
                    tier.id,
                    version,
                ),
                partial(
                    response.save_tier,
                    other,
                    TierInput(code="3", minutes=6, force="branch"),
                    tier.id,
                    version,
                ),
            )
            saved = [r for r in results if isinstance(r, response.TierRow)]
            stale = [r for r in results if isinstance(r, StaleRecord)]
            assert len(saved) == 1 and len(stale) == 1, (round_, results)
            version = saved[0].version
            assert [t for t in response.tiers(ctx) if t.id == tier.id][0] == saved[0]


def test_two_desks_saving_the_limits_at_once_keep_one(
    db: Database, ctx: ServiceContext, other: ServiceContext
) -> None:
    with Race(db, other.db) as race:
        for round_ in range(ROUNDS):
            read = coverage.limits(ctx)
            results = race.run(
                partial(coverage.set_limits, ctx, replace(read, max_week_hours=40 + round_)),
                partial(coverage.set_limits, other, replace(read, max_week_hours=70 + round_)),
            )
            saved = [r for r in results if isinstance(r, coverage.RosterLimits)]
            stale = [r for r in results if isinstance(r, StaleRecord)]
            assert len(saved) == 1 and len(stale) == 1, (round_, results)
            assert coverage.limits(ctx) == saved[0]
