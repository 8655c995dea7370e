"""SVG snapshots at 80x24, in English and Chinese, of what issue 13 found missing: a
follow-up planned on a chosen day, the grid's officer proposed for a new dispute."""

from __future__ import annotations

import dataclasses
from pathlib import Path
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
LANGUAGES = pytest.mark.parametrize("language", ["en", "zh"])


@pytest.fixture
def training(sqlite_db: Database, clock: Clock) -> ServiceContext:
    trainer = ServiceContext(sqlite_db, Actor("trainer", Role.TRAINER), clock)
    # a desk with the trainer's reach: the whole training branch, as these screens were drawn
    return load_training(trainer).as_actor(Actor("desk", Role.TRAINER))


async def open_card(pilot: Pilot[object], number: str) -> None:
    await ready(pilot)
    await press(pilot, "3", "slash", *number, "enter", "enter")


@LANGUAGES
def test_follow_up_plan_form(snap_compare: Any, training: ServiceContext, language: str) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await open_card(pilot, "0040")  # resolved
        await press(pilot, "p", *"2022-06-15")
        await ready(pilot)

    app = PoliceRoomApp(training, language=language)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@LANGUAGES
def test_dispute_officer_proposed(
    snap_compare: Any, training: ServiceContext, language: str
) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await ready(pilot)
        await press(pilot, "3", "n", "tab", *"傅素芳", "enter")  # her grid, and its officer
        await ready(pilot)
        await press(pilot, *["tab"] * 8)  # down to the officer, at the form's end
        await ready(pilot)

    app = PoliceRoomApp(training, language=language)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@LANGUAGES
def test_dispute_parties_with_roles(
    snap_compare: Any, training: ServiceContext, language: str
) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await open_card(pilot, "0040")  # the child-support dispute: mother, father, son
        await press(pilot, "r", "down")
        await ready(pilot)

    app = PoliceRoomApp(training, language=language)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@LANGUAGES
def test_mediation_agreement_form(
    snap_compare: Any, training: ServiceContext, language: str
) -> None:
    # A remote session's export folder: the form shows a file name only, on any machine.
    remote = dataclasses.replace(training, export_dir=Path("/srv/policeroom/exports"))

    async def run_before(pilot: Pilot[object]) -> None:
        await open_card(pilot, "0040")
        await press(pilot, "d")
        await ready(pilot)

    app = PoliceRoomApp(remote, language=language)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
