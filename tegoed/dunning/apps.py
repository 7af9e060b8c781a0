from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DunningConfig(AppConfig):
    name = "tegoed.dunning"
    verbose_name = _("Reminders")
