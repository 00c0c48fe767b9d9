"""Pages of the sales module."""

from django.urls import path

from boh.sales import views

app_name = "sales"
urlpatterns = [
    path("", views.daily_sales, name="daily"),
    path("tickets/", views.ticket_list, name="tickets"),
    path("tickets/<int:ticket_id>/", views.ticket_detail, name="ticket_detail"),
    path("unmapped/", views.unmapped_list, name="unmapped"),
    path("unmapped/<int:unmapped_id>/", views.unmapped_detail, name="unmapped_detail"),
    path("unmapped/<int:unmapped_id>/map/", views.unmapped_map, name="unmapped_map"),
    path("avt/", views.avt, name="avt"),
    path("menu-engineering/", views.menu_engineering, name="menu_engineering"),
]
