"""What a mediation agreement says, apart from how it is read or laid out.

Shared by ``agreement`` (which reads it from the ledger) and ``agreement_docx`` (which lays
it out), so that neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from policeroom.i18n import current_language
from policeroom.models.disputes import PartyRole
from policeroom.models.people import Gender

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
FONTS = {"zh": ("SimSun", "宋体"), "en": ("Times New Roman", "SimSun")}
"""(Latin font, East Asian font) of each layout; Chinese names print in either."""


@dataclass(frozen=True)
class AgreementParty:
    role: PartyRole
    name: str
    gender: Gender
    address: str

    @property
    def signs(self) -> bool:
        """A child concerned is named in the agreement but does not sign it."""
        return self.role is not PartyRole.CHILD


@dataclass(frozen=True)
class Agreement:
    """What the document says, read in one transaction."""

    dispute_number: str
    held_on: date
    place: str
    mediators: tuple[str, ...]
    parties: tuple[AgreementParty, ...]
    facts: str
    terms: tuple[str, ...]
    officer: str
    follow_ups: tuple[date, ...]


def long_date(day: date) -> str:
    if current_language() == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
