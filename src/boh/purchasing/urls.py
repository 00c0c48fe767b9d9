"""Pages of the purchasing module."""

app_name = "purchasing"
urlpatterns: list = []
