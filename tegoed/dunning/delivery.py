"""Delivery reports from an e-mail service provider, through django-anymail's tracking webhooks.

Set `EMAIL_BACKEND` to the provider's anymail backend and its `ANYMAIL_*` settings in the
environment, and point the provider's tracking webhook at `/anymail/<provider>/tracking/`.
"""

from anymail.signals import EventType

from tegoed.dunning import services
from tegoed.dunning.models import Delivery

DELIVERY = {
    EventType.DELIVERED: Delivery.DELIVERED,
    EventType.OPENED: Delivery.OPENED,
    EventType.BOUNCED: Delivery.BOUNCED,
    EventType.FAILED: Delivery.BOUNCED,
    EventType.REJECTED: Delivery.REJECTED,
    EventType.COMPLAINED: Delivery.COMPLAINED,
}


def record_tracking(sender, event, esp_name, **kwargs) -> None:
    delivery = DELIVERY.get(event.event_type)
    if delivery is not None:
        services.record_delivery(
            provider_id=event.message_id or "",
            delivery=delivery,
            detail=event.description or event.mta_response or "",
        )
