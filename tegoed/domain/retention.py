"""How long the books must be kept, and when a customer's personal data may be erased.

Netherlands: the basic records of a business (its books: invoices, payments, bank statements)
must be kept for seven years — art. 2:10 lid 3 BW and, for the tax authorities, art. 52
lid 4 AWR. The AVG (GDPR art. 17 lid 3 sub b) lets that legal duty come before a request to
erase. So a customer is erased only when nothing is still owed (an open claim is still being
collected) and the newest bookkeeping record about them is more than seven years old.

>>> from datetime import date
>>> kept_until(date(2019, 12, 31))
datetime.date(2026, 12, 31)
>>> erasure_refusals(today=date(2026, 12, 3), open_amount=Decimal("0.00"),
...                  last_record=date(2019, 12, 31))
(Refusal(code='records_kept', until=datetime.date(2026, 12, 31)),)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

KEEP_YEARS = 7


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str  # "open_claims" or "records_kept"
    until: date | None = None


def kept_until(last_record: date) -> date:
    """The last day the record must still be kept: seven years on (29 February: the 28th)."""
    try:
        return last_record.replace(year=last_record.year + KEEP_YEARS)
    except ValueError:
        return last_record.replace(year=last_record.year + KEEP_YEARS, day=28)


def erasure_refusals(
    *, today: date, open_amount: Decimal, last_record: date | None
) -> tuple[Refusal, ...]:
    """Why the customer's data may not be erased today; empty when it may."""
    refusals = []
    if open_amount != 0:
        refusals.append(Refusal("open_claims"))
    if last_record is not None and kept_until(last_record) >= today:
        refusals.append(Refusal("records_kept", kept_until(last_record)))
    return tuple(refusals)
