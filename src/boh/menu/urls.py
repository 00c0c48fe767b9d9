"""Pages of the menu module."""

app_name = "menu"
urlpatterns: list = []
