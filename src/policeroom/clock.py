"""The one place that knows what time it is, so tests can freeze it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

# China has one zone and no daylight saving; rosters and ledgers are kept in local time.
LOCAL_ZONE = ZoneInfo("Asia/Shanghai")


def _system_now() -> datetime:
    return datetime.now(LOCAL_ZONE).replace(tzinfo=None)


@dataclass
class Clock:
    """Local wall-clock time (naive, Asia/Shanghai). ``Clock.fixed`` freezes it."""

    source: Callable[[], datetime] = field(default=_system_now)

    def now(self) -> datetime:
        return self.source()

    def today(self) -> date:
        return self.now().date()

    def utcnow(self) -> datetime:
        local = self.now().replace(tzinfo=LOCAL_ZONE)
        return local.astimezone(UTC).replace(tzinfo=None)

    @classmethod
    def fixed(cls, moment: datetime) -> Clock:
        return cls(source=lambda: moment)

    def shifted(self, delta: timedelta) -> Clock:
        base = self.source
        return Clock(source=lambda: base() + delta)


SYSTEM_CLOCK = Clock()
