"""The organization's claim terms: its clause for collection costs, its consumers' due dates."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tegoed.accounts.current import change_required
from tegoed.claims import forms, queries, services


@change_required
def claim_terms(request: HttpRequest) -> HttpResponse:
    current = queries.claim_terms_of(request.organization)
    form = forms.ClaimTermsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.save_claim_terms(terms=form.save(commit=False), acting_user=request.user)
        messages.success(request, _("The claim terms are saved."))
        return redirect("claims:terms")
    return render(request, "claims/terms.html", {"form": form}, status=422 if form.errors else 200)
