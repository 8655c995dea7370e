"""Every value of every enumeration has words people can read, in English and in Chinese."""

from __future__ import annotations

import importlib
import pkgutil
from enum import StrEnum

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

import policeroom
from policeroom import labels
from policeroom.i18n import catalogue_path, set_language
from policeroom.models.disputes import MediationMethod, ReferralTarget
from policeroom.models.org import StaffKind
from policeroom.models.people import ResidentTagKind, VisitPurpose

# Alembic's scripts run a migration when imported; they define no enumeration.
NOT_IMPORTED = ("policeroom.migrations",)


def _every_enumeration() -> list[type[StrEnum]]:
    for module in pkgutil.walk_packages(policeroom.__path__, "policeroom."):
        if not module.name.startswith(NOT_IMPORTED):
            importlib.import_module(module.name)
    found: list[type[StrEnum]] = []
    waiting = list(StrEnum.__subclasses__())
    while waiting:
        enum = waiting.pop()
        waiting.extend(enum.__subclasses__())
        if enum.__module__.startswith("policeroom."):
            found.append(enum)
    return sorted(found, key=lambda enum: f"{enum.__module__}.{enum.__qualname__}")


ENUMERATIONS = _every_enumeration()


@pytest.fixture(scope="module")
def chinese() -> Catalog:
    with catalogue_path("zh_CN").open("rb") as po_file:
        return read_po(po_file)


def test_the_walk_finds_the_enumerations_of_models_and_services() -> None:
    names = {f"{enum.__module__}.{enum.__qualname__}" for enum in ENUMERATIONS}
    assert {
        "policeroom.models.org.StaffKind",
        "policeroom.services.duty.checks.FindingKind",
        "policeroom.services.core.name_search.SearchKind",
        "policeroom.services.disputes.ledger.SearchKind",
    } <= names


@pytest.mark.parametrize("enum", ENUMERATIONS, ids=lambda enum: enum.__qualname__)
def test_every_member_has_english_words_and_a_chinese_translation(
    enum: type[StrEnum], chinese: Catalog
) -> None:
    for member in enum:
        words = [labels.english(member)]
        short = labels.short_english(member)
        if short is not None:
            words.append(short)
        for english in words:
            assert english.strip(), f"{enum.__qualname__}.{member.name} has empty words"
            message = chinese.get(english)
            assert message is not None, f"{english!r} ({member!r}) is not in the catalogue"
            assert message.string and not message.fuzzy, f"{english!r} has no Chinese yet"


def test_values_shared_by_two_enumerations_keep_their_own_words() -> None:
    set_language("en")
    assert ResidentTagKind.KEY_PERSON == VisitPurpose.KEY_PERSON
    assert labels.label(ResidentTagKind.KEY_PERSON) == "key person"
    assert labels.label(VisitPurpose.KEY_PERSON) == "key person check"
    assert labels.label(MediationMethod.PEOPLES_MEDIATION) == "People's mediation"
    assert labels.label(ReferralTarget.PEOPLES_MEDIATION) == "People's mediation committee"


def test_labels_are_translated_when_asked_for() -> None:
    try:
        set_language("zh")
        assert labels.label(StaffKind.AUXILIARY) == "辅警"
        assert labels.short_label(StaffKind.AUXILIARY) == "辅警"
        assert labels.choices(StaffKind)[0] == ("民警", StaffKind.POLICE)
        assert labels.label(None) == ""
    finally:
        set_language("en")
    assert labels.short_label(StaffKind.AUXILIARY) == "aux"
    assert labels.short_label(StaffKind.GRID_WORKER) == "grid worker"


def test_an_enumeration_registers_every_member_once() -> None:
    class Colour(StrEnum):
        RED = "red"
        BLUE = "blue"

    with pytest.raises(ValueError, match="no words for blue"):
        labels.register(Colour, {Colour.RED: "red"})
    labels.register(Colour, {Colour.RED: "red", Colour.BLUE: "blue"})
    with pytest.raises(ValueError, match="has its words already"):
        labels.register(Colour, {Colour.RED: "red", Colour.BLUE: "blue"})


def test_a_dispute_status_has_one_name_in_the_list_and_on_the_card() -> None:
    """Issue 13, defect 10: the list said New/Inquiry, the card Registered/Investigating."""
    from policeroom.labels import short_label  # noqa: PLC0415
    from policeroom.models.disputes import DisputeStatus

    for status in DisputeStatus:
        assert short_label(status) == labels.label(status)
