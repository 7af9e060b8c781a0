"""Statutory limits on agreed payment terms in the Netherlands.

Sources (see /docs/legal.md): art. 6:119a lid 5 BW — between businesses at most 60 days unless
expressly agreed and not grossly unfair; art. 6:119b lid 5 BW — a public authority as debtor at
most 30 days (60 only when objectively justified and expressly agreed). Consumers have no statutory
maximum (6:38: without an agreed time payment may be demanded at once).

>>> maximum_days("business")
60
>>> maximum_days("government")
30
>>> maximum_days("consumer") is None
True
"""

from __future__ import annotations

MAXIMUM_DAYS = {"business": 60, "government": 30, "consumer": None}


def maximum_days(customer_kind: str) -> int | None:
    """The longest payment term that may be agreed without an express, justified clause."""
    return MAXIMUM_DAYS[customer_kind]
