from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "boh.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from boh.core import events
        from boh.sales.dashboard import avt_figure, net_sales_figure
        from boh.sales.services.mapping import on_pos_code_mapped
        from boh.web.dashboard import register_source

        events.subscribe("menu.pos_code_mapped", on_pos_code_mapped)
        register_source("net_sales", net_sales_figure)
        register_source("avt", avt_figure)
