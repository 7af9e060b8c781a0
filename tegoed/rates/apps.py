from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatesConfig(AppConfig):
    name = "tegoed.rates"
    verbose_name = _("Statutory rates")
