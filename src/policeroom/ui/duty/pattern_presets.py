"""The common recurring shifts a pattern starts from (every day 08:00–20:00, the Monday,
Wednesday and Friday night patrol …), and a shift's length from its start and end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from policeroom.i18n import N_


@dataclass(frozen=True)
class Preset:
    """A common recurring shift: its key in the form's choice, its name (translated when
    shown), its rule and its hours."""

    key: str
    label: str
    rrule: str
    starts: time
    ends: time


PRESETS = (
    Preset("day", N_("Every day 08:00–20:00"), "FREQ=DAILY", time(8), time(20)),
    Preset("night", N_("Every night 20:00–08:00"), "FREQ=DAILY", time(20), time(8)),
    Preset(
        "mwf-night",
        N_("Mon, Wed, Fri night patrol 20:00–08:00"),
        "FREQ=WEEKLY;BYDAY=MO,WE,FR",
        time(20),
        time(8),
    ),
    Preset(
        "office",
        N_("Weekdays 08:30–17:30"),
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        time(8, 30),
        time(17, 30),
    ),
    Preset(
        "school",
        N_("School mornings 07:30–08:30"),
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        time(7, 30),
        time(8, 30),
    ),
    Preset("weekend", N_("Weekends 09:00–21:00"), "FREQ=WEEKLY;BYDAY=SA,SU", time(9), time(21)),
    Preset(
        "alternate",
        N_("Every other day, 24 hours from 08:30"),
        "FREQ=DAILY;INTERVAL=2",
        time(8, 30),
        time(8, 30),
    ),
)


def preset_of(rule: str, starts: time, minutes: int) -> Preset | None:
    for preset in PRESETS:
        if preset.rrule == rule.strip().upper() and preset.starts == starts:
            if duration_minutes(preset.starts, preset.ends) == minutes:
                return preset
    return None


def duration_minutes(starts: time, ends: time) -> int:
    """Minutes from ``starts`` to the next ``ends``: the same time means 24 hours."""
    start = datetime.combine(date(2000, 1, 1), starts)
    end = datetime.combine(date(2000, 1, 1), ends)
    if end <= start:
        end += timedelta(days=1)
    return int((end - start).total_seconds() // 60)
