"""Pages of the planning module."""

from django.urls import path

from boh.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.forecasts, name="forecasts"),
    path("events/", views.events, name="events"),
    path("events/<int:event_id>/", views.event_edit, name="event"),
    path("weather/", views.weather, name="weather"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("suggestions/<int:suggestion_id>/", views.suggestion_detail, name="suggestion"),
    path(
        "suggestions/transfers/<int:transfer_id>/",
        views.transfer_decision,
        name="transfer_decision",
    ),
    path("settings/", views.settings_page, name="settings"),
    path("prep-list/", views.prep_list, name="prep_list"),
]
