from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DunningConfig(AppConfig):
    name = "tegoed.dunning"
    verbose_name = _("Reminders")

    def ready(self) -> None:
        from anymail.signals import tracking

        from tegoed.dunning.delivery import record_tracking

        tracking.connect(record_tracking, dispatch_uid="tegoed.dunning.delivery")
