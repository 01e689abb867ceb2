"""The periods the insights compare, all in local days of Europe/Amsterdam."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


def months_before(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` months before the month of ``day``."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Window:
    """The last 12 full months before ``as_of`` (``current``) and the 12 before them."""

    as_of: dt.date

    @property
    def previous_first(self) -> dt.date:
        return months_before(self.as_of, 24)

    @property
    def current_first(self) -> dt.date:
        return months_before(self.as_of, 12)

    @property
    def last(self) -> dt.date:
        return self.as_of.replace(day=1) - dt.timedelta(days=1)

    def as_dict(self) -> dict[str, str]:
        return {"as_of": self.as_of.isoformat(), "first": self.current_first.isoformat(),
                "last": self.last.isoformat(),
                "previous_first": self.previous_first.isoformat(),
                "previous_last": (self.current_first - dt.timedelta(days=1)).isoformat()}
