"""Dated rate tables: one row per rate and the day it takes effect, each with its source.

Statutory interest rates change by decree (NL consumer rate, art. 6:120 lid 1 BW) or by a
formula reset every half-year (ECB rate + 8, art. 6:120 lid 2 BW; § 247 BGB; SI 2002/1675).
A table is data: a new government rate is one `Rate` row, added in the admin or in
`tegoed/domain/jurisdictions/<code>.py`. Every row says how sure we are of it (`Status`,
the legend of docs/legal.md); a computation that uses a row that is not `VERIFIED` or
`CORROBORATED` says "rate unverified" to the user.

A row holds until the next row of the same jurisdiction and kind. Where the law sets the rate
anew on fixed dates (`reset_months`, e.g. 1 January and 1 July: art. 6:120 lid 2 BW, § 247
BGB), every such date starts a new rate period, also when the rate stays the same; the last
row is only known to hold until the next reset date, and after that the rate is carried
forward and marked `UNVERIFIED`. Where a rate changes only by decree (the Dutch consumer
rate), rows that repeat the rate start no new period.

>>> from datetime import date
>>> from decimal import Decimal
>>> rows = (Rate("NL", "consumer", date(2015, 1, 1), Decimal("2"), "Stb. 2014, 491", VERIFIED),)
>>> [(step.start, step.percent) for step in steps(rows, "NL", "consumer", date(2016, 1, 1))]
[(datetime.date(2015, 1, 1), Decimal('2'))]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

from tegoed.domain.errors import DomainError


class Status(StrEnum):
    """How a figure was checked (the legend of docs/legal.md)."""

    VERIFIED = "verified"  # ✅ primary text: statute, Staatsblad, official notice
    CORROBORATED = "corroborated"  # ☑️ two secondary sources, or one plus the formula
    SINGLE_SOURCE = "single_source"  # ⚠️ one secondary source, or derived from the formula
    UNVERIFIED = "unverified"  # ❌ not verified, or the sources conflict


VERIFIED = Status.VERIFIED
CORROBORATED = Status.CORROBORATED
SINGLE_SOURCE = Status.SINGLE_SOURCE
UNVERIFIED = Status.UNVERIFIED

# Worst first: a merged step carries the weakest status of its rows.
_STRENGTH = {UNVERIFIED: 0, SINGLE_SOURCE: 1, CORROBORATED: 2, VERIFIED: 3}

CARRIED_FORWARD = "no rate known for this period: the last known rate is carried forward"


def is_verified(status: Status) -> bool:
    """Whether a figure may be shown without the warning "rate unverified"."""
    return status in (VERIFIED, CORROBORATED)


def weakest(statuses: Iterable[Status]) -> Status:
    return min(statuses, key=_STRENGTH.__getitem__)


@dataclass(frozen=True, slots=True)
class Rate:
    """One row of a rate table: `percent` a year from `effective_from` on."""

    jurisdiction: str  # "NL", "EU", "BE", "DE", "UK"
    kind: str  # "consumer", "commercial", "reference", "civil"
    effective_from: date
    percent: Decimal
    source: str
    status: Status
    note: str = ""


@dataclass(frozen=True, slots=True)
class Step:
    """A stretch of time at one rate, from `start` until the next step."""

    start: date
    percent: Decimal
    status: Status
    sources: tuple[str, ...]
    note: str = ""
    reset: bool = False  # the law sets the rate anew here, even if it stays the same


def rows_for(rates: Iterable[Rate], jurisdiction: str, kind: str) -> tuple[Rate, ...]:
    """The rows of one table, oldest first; two rows for the same day are an error."""
    rows = sorted(
        (r for r in rates if r.jurisdiction == jurisdiction and r.kind == kind),
        key=lambda r: r.effective_from,
    )
    for earlier, later in pairwise(rows):
        if earlier.effective_from == later.effective_from:
            raise DomainError(
                f"the {jurisdiction} {kind} rate table has two rows for {later.effective_from}"
            )
    return tuple(rows)


def next_reset(day: date, reset_months: Sequence[int]) -> date:
    """The first reset date (the 1st of a month in `reset_months`) strictly after `day`."""
    year = day.year
    while True:
        for month in sorted(reset_months):
            candidate = date(year, month, 1)
            if candidate > day:
                return candidate
        year += 1


def steps(
    rates: Iterable[Rate],
    jurisdiction: str,
    kind: str,
    until: date,
    *,
    reset_months: Sequence[int] = (),
) -> tuple[Step, ...]:
    """The table as steps up to `until` (exclusive), with carried-forward steps if stale.

    With `reset_months`, a step starts on every reset date (marked `reset`), carrying the
    row in force. Rows are not merged here, so that a caller can add a margin or a cap
    first and merge afterwards (`merge`).
    """
    rows = rows_for(rates, jurisdiction, kind)
    if not rows:
        raise DomainError(f"there is no {jurisdiction} {kind} rate table")
    result = []
    for row, following in zip(rows, (*rows[1:], None), strict=True):
        result.append(
            Step(
                row.effective_from,
                row.percent,
                row.status,
                (row.source,),
                row.note,
                reset=bool(reset_months)
                and row.effective_from.day == 1
                and row.effective_from.month in reset_months,
            )
        )
        if not reset_months:
            continue
        stop = until if following is None else min(until, following.effective_from)
        day = next_reset(row.effective_from, reset_months)
        carried = following is None
        while day < stop:
            if carried:
                result.append(
                    Step(day, row.percent, UNVERIFIED, (row.source,), CARRIED_FORWARD, reset=True)
                )
            else:
                result.append(Step(day, row.percent, row.status, (row.source,), row.note, True))
            day = next_reset(day, reset_months)
    return tuple(result)


def merge(steps_in_order: Sequence[Step]) -> tuple[Step, ...]:
    """Join neighbours with the same rate, unless the law starts a new period (`reset`).

    The merged step keeps the weakest status and all sources.
    """
    merged: list[Step] = []
    for step in steps_in_order:
        if merged and merged[-1].percent == step.percent and not step.reset:
            last = merged[-1]
            sources = last.sources + tuple(s for s in step.sources if s not in last.sources)
            notes = "; ".join(n for n in dict.fromkeys((last.note, step.note)) if n)
            merged[-1] = Step(
                last.start, last.percent, weakest((last.status, step.status)), sources, notes
            )
        else:
            merged.append(step)
    return tuple(merged)


def at(steps_in_order: Sequence[Step], day: date) -> Step:
    """The step in force on `day`."""
    found = None
    for step in steps_in_order:
        if step.start <= day:
            found = step
        else:
            break
    if found is None:
        raise DomainError(f"no rate is known for {day}: the table starts {steps_in_order[0].start}")
    return found
