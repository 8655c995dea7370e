"""SVG snapshots of the dispute ledger at 80x24 in English, on the training fixture with the
clock frozen on its story's day: the pane, a card with its history, the early warnings, and
each ledger form (register, status move, mediation, follow-up, weekly sweep)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import Role
from policeroom.services.core.context import Actor, ServiceContext
from policeroom.ui.app import PoliceRoomApp
from tests.snapshots.conftest import ready
from tests.templates import load_training
from tests.ui.disputes_world import press

SIZE = (80, 24)


@pytest.fixture
def training(sqlite_db: Database, clock: Clock) -> ServiceContext:
    trainer = ServiceContext(sqlite_db, Actor("trainer", Role.TRAINER), clock)
    # a desk with the trainer's reach: the whole training branch, as these screens were drawn
    return load_training(trainer).as_actor(Actor("desk", Role.TRAINER))


def test_disputes_pane(snap_compare: Any, training: ServiceContext) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await ready(pilot)
        await press(pilot, "3")
        await ready(pilot)

    assert snap_compare(PoliceRoomApp(training), terminal_size=SIZE, run_before=run_before)


def test_dispute_card(snap_compare: Any, training: ServiceContext) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await ready(pilot)
        await press(pilot, "3", "slash", *"0029", "enter", "enter")
        await ready(pilot)

    assert snap_compare(PoliceRoomApp(training), terminal_size=SIZE, run_before=run_before)


def test_early_warnings(snap_compare: Any, training: ServiceContext) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await ready(pilot)
        await press(pilot, "w")
        await ready(pilot)

    assert snap_compare(PoliceRoomApp(training), terminal_size=SIZE, run_before=run_before)


def test_dispute_register_form(snap_compare: Any, training: ServiceContext) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await ready(pilot)
        await press(pilot, "3", "n", "enter", "down", "down", "enter")  # neighbours
        await press(pilot, "tab", *"傅素芳", "enter")  # a party found by name; her grid follows
        await press(pilot, "tab", "tab", "tab", "enter", "down", "down", "enter")  # walk-in
        await press(pilot, "tab", "tab", *"楼上住户夜间噪音扰民[多次]")
        await ready(pilot)

    assert snap_compare(PoliceRoomApp(training), terminal_size=SIZE, run_before=run_before)


async def open_card(pilot: Pilot[object], number: str) -> None:
    await ready(pilot)
    await press(pilot, "3", "slash", *number, "enter", "enter")


def test_dispute_status_move(snap_compare: Any, training: ServiceContext) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await open_card(pilot, "0029")  # mediating
        await press(pilot, "s", "tab", *"双方同意改日再调")
        await ready(pilot)

    assert snap_compare(PoliceRoomApp(training), terminal_size=SIZE, run_before=run_before)


def test_mediation_form(snap_compare: Any, training: ServiceContext) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await open_card(pilot, "0029")
        await press(pilot, "m", *"东环路社区警务室")
        await ready(pilot)

    assert snap_compare(PoliceRoomApp(training), terminal_size=SIZE, run_before=run_before)


def test_follow_up_form(snap_compare: Any, training: ServiceContext) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await open_card(pilot, "0040")  # resolved, its first follow-up due 2022-05-08
        await press(pilot, "f", "tab", "enter", "down", "enter")  # stable
        await ready(pilot)

    assert snap_compare(PoliceRoomApp(training), terminal_size=SIZE, run_before=run_before)


def test_sweep_form(snap_compare: Any, training: ServiceContext) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await ready(pilot)
        await press(pilot, "3", "ctrl+w")
        await ready(pilot)

    assert snap_compare(PoliceRoomApp(training), terminal_size=SIZE, run_before=run_before)
