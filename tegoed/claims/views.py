"""The organization's claim terms: its clause for collection costs, its consumers' due dates."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tegoed.accounts.current import change_required
from tegoed.claims import forms, queries, services
from tegoed.claims.models import SimpleInterestSource
from tegoed.invoices.queries import get_invoice_for_member


@change_required
def claim_terms(request: HttpRequest) -> HttpResponse:
    current = queries.claim_terms_of(request.organization)
    form = forms.ClaimTermsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.save_claim_terms(terms=form.save(commit=False), acting_user=request.user)
        messages.success(request, _("The claim terms are saved."))
        return redirect("claims:terms")
    return render(request, "claims/terms.html", {"form": form}, status=422 if form.errors else 200)


@require_POST
@change_required
def simple_interest(request: HttpRequest, public_id) -> HttpResponse:
    """Switch an invoice's claim to simple interest, or back to compounding each year."""
    invoice = get_invoice_for_member(request.user, request.membership, public_id)
    form = forms.SimpleInterestForm(request.POST)
    if form.is_valid():
        services.set_simple_interest(
            invoice,
            simple=form.cleaned_data["simple"],
            source=form.cleaned_data["source"] or SimpleInterestSource.CONTRACT,
            acting_user=request.user,
        )
        messages.success(
            request, _("The interest on %(number)s is changed.") % {"number": invoice.number}
        )
    return redirect(reverse("invoices:detail", args=[invoice.public_id]) + "#claim")
