"""The periods the statistics screen offers: this week, month, quarter and year to date."""

from __future__ import annotations

from datetime import date, timedelta

from policeroom.i18n import N_, _

PERIODS = ("week", "month", "quarter", "year")
PERIOD_LABELS = {
    "week": N_("This week"),
    "month": N_("This month"),
    "quarter": N_("This quarter"),
    "year": N_("This year"),
}


def period(kind: str, today: date) -> tuple[date, date]:
    """From the period's first day to today (the figures so far)."""
    if kind == "week":
        start = today - timedelta(days=today.weekday())
    elif kind == "month":
        start = today.replace(day=1)
    elif kind == "quarter":
        start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    elif kind == "year":
        start = today.replace(month=1, day=1)
    else:
        raise ValueError(kind)
    return start, today


def period_label(kind: str) -> str:
    return _(PERIOD_LABELS[kind])
