"""The dashboard: where the money is, how late it is, and what to do today."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tegoed.accounts.current import is_sales, organization_required, today
from tegoed.accounts.templatetags.tegoed import shortdate
from tegoed.claims import history
from tegoed.claims.queries import claim_terms_of
from tegoed.common import pagination
from tegoed.domain import aging, limitation
from tegoed.invoices import queries as invoice_queries
from tegoed.reports import export, queries

BUCKET_LABELS = {
    "not_due": lambda: _("Not yet due"),
    "1_30": lambda: _("1–30 days"),
    "31_60": lambda: _("31–60 days"),
    "61_90": lambda: _("61–90 days"),
    "over_90": lambda: _("More than 90 days"),
}
BUCKET_STYLE = {"not_due": "", "1_30": "late", "31_60": "late", "61_90": "very-late"}


def invoice_list_url(**filters) -> str:
    return f"{reverse('invoices:list')}?{urlencode(filters)}"


# The longest bar in percent of the chart's width. Widths are percentages so that the SVG
# stretches with its card while the text keeps the page's size, on a phone as on a desktop;
# each label stands above its bar, so a long label never runs into it.
BARS_PERCENT = 72


def chart(result: aging.Aging) -> dict:
    """Geometry of the aging bar chart (drawn as inline SVG by the template)."""
    largest = max((amount for _bucket, amount in result.amounts), default=Decimal(0))
    label_height, bar_height, gap = 20, 22, 14
    row = label_height + bar_height + gap
    bars = []
    for position, (bucket, amount) in enumerate(result.amounts):
        share = (amount / largest) if largest > 0 else Decimal(0)
        width = (share * BARS_PERCENT).quantize(Decimal("0.1")) if amount > 0 else Decimal(0)
        bars.append(
            {
                "key": bucket.key,
                "label": BUCKET_LABELS[bucket.key](),
                "amount": amount,
                "label_y": position * row + label_height - 6,
                "y": position * row + label_height,
                "text_y": position * row + label_height + bar_height // 2 + 5,
                "width": max(width, Decimal("0.5")) if amount > 0 else width,
                "style": BUCKET_STYLE.get(bucket.key, "very-late"),
                "url": invoice_list_url(state="outstanding", bucket=bucket.key),
            }
        )
    return {"bars": bars, "bar_height": bar_height, "height": len(bars) * row - gap}


def _whole_days(days: Decimal | None) -> int | None:
    return None if days is None else int(days)


@organization_required
def dashboard(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    day = today(request)
    owner = request.user if is_sales(request) else None
    result = queries.aging_of(organization, today=day)
    sales = queries.credit_sales(organization, today=day)
    due_today = queries.due_between(organization, first=day, last=day)
    week_ago = day - timedelta(days=7)
    newly_overdue = queries.due_between(organization, first=week_ago, last=day - timedelta(1))
    # Credit not yet applied (overpayments, credit notes) lowers what is really owed.
    credit = invoice_queries.unapplied_credit_total(organization)
    context = {
        "today": day,
        "aging": result,
        "credit": credit,
        "net_open": result.total - credit,
        "chart": chart(result),
        "dso": _whole_days(
            aging.days_sales_outstanding(
                open_total=result.total - credit, sales=sales, days=queries.SALES_PERIOD_DAYS
            )
        ),
        "sales": sales,
        "sales_days": queries.SALES_PERIOD_DAYS,
        "candidates": queries.collection_candidates(organization, today=day, sales_owner=owner),
        **_limitation(request, day, owner, limit=DASHBOARD_LIMITATION_ROWS),
        "work": [
            {
                "label": _("Due today: a friendly nudge"),
                "count": due_today[0],
                "amount": due_today[1],
                "url": invoice_list_url(
                    state="outstanding", due_from=day.isoformat(), due_to=day.isoformat()
                ),
            },
            {
                "label": _("Overdue since this week: first reminder"),
                "count": newly_overdue[0],
                "amount": newly_overdue[1],
                "url": invoice_list_url(
                    overdue="on",
                    due_from=week_ago.isoformat(),
                    due_to=(day - timedelta(1)).isoformat(),
                ),
            },
        ],
        "open_url": invoice_list_url(state="outstanding"),
        "overdue_url": invoice_list_url(overdue="on"),
        "over_90_url": invoice_list_url(state="outstanding", bucket="over_90", sort="-due_date"),
    }
    return render(request, "reports/dashboard.html", context)


# The dashboard shows the claims nearest to limitation; the full list has them all.
DASHBOARD_LIMITATION_ROWS = 5


def _limitation(request: HttpRequest, day, owner, *, limit: int | None = None) -> dict:
    """The organization's claims whose last day before limitation is near (or past)."""
    months = claim_terms_of(request.organization).limitation_warning_months
    found = history.nearing_limitation(
        request.organization, today=day, months=months, sales_owner=owner
    )
    return {
        "limitation_months": months,
        "limitation_count": len(found),
        "limitation": [
            {
                "invoice": invoice,
                "limitation": result,
                "barred": result.last_day < day,
                "why": _why(result),
            }
            for invoice, result in (found if limit is None else found[:limit])
        ],
    }


def _why(result) -> str:
    """What the last period of limitation runs from, in the page's language."""
    event = result.periods[-1].event
    if event is None:
        return _("%(basis)s, from the day after the due date") % {"basis": result.basis}
    values = {"day": shortdate(event.on)}
    texts = {
        limitation.REMINDER: _("reminder of %(day)s (art. 3:317 BW)"),
        limitation.ACKNOWLEDGEMENT: _("acknowledged in an arrangement of %(day)s (art. 3:318 BW)"),
        limitation.SUMMONS: _("summons of %(day)s (art. 3:316 BW)"),
        limitation.JUDGMENT: _("judgment of %(day)s: twenty years (art. 3:324 BW)"),
    }
    return texts[event.kind] % values


@organization_required
def nearing_limitation(request: HttpRequest) -> HttpResponse:
    """Every claim nearing limitation: act (a written reminder, a summons) before its last
    day (art. 3:317, 3:316 BW)."""
    day = today(request)
    owner = request.user if is_sales(request) else None
    context = {"today": day, **_limitation(request, day, owner)}
    return render(request, "reports/limitation.html", context)


@organization_required
def overdue_debtors(request: HttpRequest) -> HttpResponse:
    """The largest overdue debtors: the dashboard loads them after the page (they need every
    overdue invoice's allocations, the one dashboard figure that grows with the history)."""
    owner = request.user if is_sales(request) else None
    debtors = queries.largest_overdue_debtors(
        request.organization, today=today(request), sales_owner=owner
    )
    template = "reports/dashboard.html#debtors" if request.htmx else "reports/debtors.html"
    return render(request, template, {"debtors": debtors})


AGING_PAGE_SIZE = 100


def _aging_rows(request: HttpRequest, day):
    owner = request.user if is_sales(request) else None
    return queries.aging_by_customer(request.organization, today=day, sales_owner=owner)


@organization_required
def aging_by_customer(request: HttpRequest) -> HttpResponse:
    """Aged debtors: each customer's open invoices per bucket, less its credit."""
    day = today(request)
    rows = _aging_rows(request, day)
    page_number = pagination.page_number(request.GET.get("page"))
    start = (page_number - 1) * AGING_PAGE_SIZE
    shown = rows[start : start + AGING_PAGE_SIZE]
    totals = [
        sum((row.amounts[index] for row in rows), Decimal("0.00"))
        for index in range(len(aging.BUCKETS))
    ]
    credit = sum((row.credit for row in rows), Decimal("0.00"))
    context = {
        "today": day,
        "labels": [BUCKET_LABELS[bucket.key]() for bucket in aging.BUCKETS],
        "rows": shown,
        "totals": totals,
        "total_open": sum(totals, Decimal("0.00")),
        "total_credit": credit,
        "total_net": sum(totals, Decimal("0.00")) - credit,
        "page_number": page_number,
        "next_page": page_number + 1 if start + AGING_PAGE_SIZE < len(rows) else None,
        "previous_page": page_number - 1 if page_number > 1 else None,
    }
    return render(request, "reports/aging.html", context)


@organization_required
def aging_export(request: HttpRequest, file_format: str) -> HttpResponse:
    day = today(request)
    columns = [
        export.Column(_("Customer number"), width=12),
        export.Column(_("Customer"), width=36),
        *(export.Column(BUCKET_LABELS[bucket.key](), export.MONEY) for bucket in aging.BUCKETS),
        export.Column(_("Open"), export.MONEY),
        export.Column(_("Credit on account"), export.MONEY),
        export.Column(_("Open less credit"), export.MONEY),
    ]

    def rows():
        for row in _aging_rows(request, day):
            yield [
                row.customer.number,
                row.customer.name,
                *row.amounts,
                row.open,
                row.credit,
                row.net,
            ]

    return export.respond(
        file_format, _("aging") + f"-{day.isoformat()}", columns, rows, sheet=_("Aging")
    )
