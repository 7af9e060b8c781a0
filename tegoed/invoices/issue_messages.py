"""The issue checks (`tegoed.domain.issuing`) said in the user's language."""

from babel import Locale
from django.utils.translation import gettext as _

from tegoed.accounts.templatetags.tegoed import page_locale
from tegoed.domain.issuing import Problem


def describe(problem: Problem) -> str:
    messages = {
        "customer_name_missing": _("The customer has no name."),
        "customer_address_missing": _("The customer's address (street and city) is missing."),
        "customer_postal_code_missing": _("The customer's postal code is missing."),
        "customer_email_missing": _(
            "The customer has no contact with an e-mail address to send the invoice to."
        ),
        "customer_email_generic": _(
            "The invoice would go to %(email)s, a general mailbox; add a billing contact who "
            "reads it."
        ),
        "no_lines": _("The invoice has no lines."),
        "line_description_missing": _("Line %(line)s has no description."),
        "line_quantity_zero": _("Line %(line)s has quantity zero."),
        "line_vat_rate_invalid": _("Line %(line)s has a VAT rate outside 0–100 %%."),
        "line_quantity_out_of_range": _(
            "Line %(line)s: the quantity must be at most %(largest)s, with at most %(places)s "
            "decimals."
        ),
        "line_unit_price_out_of_range": _(
            "Line %(line)s: the unit price must be at most %(largest)s, with at most %(places)s "
            "decimals."
        ),
        "line_vat_rate_out_of_range": _(
            "Line %(line)s: the VAT rate must be at most %(largest)s, with at most %(places)s "
            "decimals."
        ),
        "total_too_large": _("The invoice total is more than %(largest)s."),
        "line_vat_rate_unusual": _(
            "Line %(line)s charges %(rate)s %% VAT, which %(country)s does not charge; is that "
            "right?"
        ),
        "total_not_positive": _("The invoice total is %(total)s; it must be more than zero."),
        "issue_date_missing": _("The issue date is missing."),
        "due_date_missing": _("The due date is missing."),
        "due_before_issue": _("The due date lies before the issue date."),
        "term_too_long": _(
            "A payment term of %(days)s days is longer than the legal maximum of %(maximum)s "
            "days for this customer."
        ),
        "unknown_currency": _("Currency %(currency)s is not supported."),
    }
    template = messages.get(problem.code, problem.code)
    params = dict(problem.params)
    if "country" in params:
        params["country"] = Locale.parse(page_locale()).territories.get(
            params["country"], params["country"]
        )
    return template % params if params else template.replace("%%", "%")
