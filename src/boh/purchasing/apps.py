from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "boh.purchasing"
    label = "purchasing"
    verbose_name = _("Purchasing")

    def ready(self) -> None:
        from boh.core import events
        from boh.purchasing.services.internal import on_transfer_received

        events.subscribe("inventory.transfer_received", on_transfer_received)
