"""The 1-3-5 log in words: the period a day falls in, a tier's time to scene, each call's
tiers and how often each tier was on scene in its minutes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from rich.text import Text

from policeroom.formatting import minutes_text
from policeroom.i18n import _
from policeroom.services.duty import response
from policeroom.services.duty.response import CallRow, TierCompliance

Span = Literal["week", "month", "year"]
SPANS: tuple[Span, ...] = ("week", "month", "year")
# Compliance over a week is shown by day, over a month by week, over a year by month.
GROUPING: dict[Span, response.Period] = {"week": "day", "month": "week", "year": "month"}


def period_of(anchor: date, span: Span) -> tuple[date, date]:
    """The week (from Monday), month or year containing ``anchor``."""
    if span == "week":
        first = anchor - timedelta(days=anchor.weekday())
        return first, first + timedelta(days=6)
    if span == "month":
        first = anchor.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return first, following - timedelta(days=1)
    return anchor.replace(month=1, day=1), anchor.replace(month=12, day=31)


def arrivals_text(call: CallRow) -> Text:
    """``1′ 0:52✓  3′ 3:40✗`` — each tier sent, its time to scene and whether in time."""
    text = Text()
    for arrival in call.arrivals:
        if text:
            text.append("  ")
        text.append(f"{arrival.tier_minutes}′ {minutes_text(arrival.minutes_to_scene)}")
        if arrival.minutes_to_scene is not None:
            text.append("✓" if arrival.met else "✗", style="bold" if not arrival.met else "")
    return text


def compliance_text(whole: list[TierCompliance], parts: list[TierCompliance]) -> Text:
    """A line per tier over the period, then one per day/week/month with each tier's share."""
    text = Text()
    for tier in whole:
        if text:
            text.append("\n")
        text.append(f"{tier.minutes}′ ", style="bold")
        text.append(response.force_label(tier.force) + ": ")
        if tier.dispatched:
            share = tier.share or 0.0
            text.append(
                _("{within} of {sent} in time ({share:.0%}), median {median}").format(
                    within=tier.within,
                    sent=tier.dispatched,
                    share=share,
                    median=minutes_text(tier.median_minutes),
                ),
                style="" if share >= 0.9 else "bold",
            )
        else:
            text.append(_("none sent"))
    starts = sorted({p.period_start for p in parts if p.period_start and p.dispatched})
    for start in starts:
        text.append("\n")
        text.append(f"{start:%m-%d} ")
        shown = [
            f"{p.minutes}′ {p.within}/{p.dispatched}"
            for p in parts
            if p.period_start == start and p.dispatched
        ]
        text.append("  ".join(shown))
    return text
