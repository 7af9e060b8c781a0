from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "tegoed.operations"
    verbose_name = _("Running the install")
