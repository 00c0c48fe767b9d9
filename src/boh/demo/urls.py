"""Pages of the demo module."""

from django.urls import path

from boh.demo import views

app_name = "demo"
urlpatterns = [
    path("simulations/", views.simulations, name="simulations"),
    path("simulations/<int:run_id>/", views.simulation, name="simulation"),
]
