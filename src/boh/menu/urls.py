"""Pages of the menu module."""

from django.urls import path

from boh.menu import views

app_name = "menu"
urlpatterns = [
    path("", views.menu_item_list, name="items"),
    path("items/<int:menu_item_id>/", views.menu_item_detail, name="item_detail"),
    path("items/<int:menu_item_id>/recipe/", views.recipe_edit, name="recipe_edit"),
    path("recipe-line/", views.recipe_line_row, name="recipe_line_row"),
    path("cost-movers/", views.cost_movers, name="cost_movers"),
]
