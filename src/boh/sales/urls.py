"""Pages of the sales module."""

app_name = "sales"
urlpatterns: list = []
