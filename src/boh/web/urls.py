from django.urls import path

from boh.web.views import account, api_keys, audit, home, locations, regions, users

app_name = "web"
urlpatterns = [
    path("", home.home, name="home"),
    path("login/", account.login_view, name="login"),
    path("logout/", account.logout_view, name="logout"),
    path("password/", account.password_change, name="password_change"),
    path("language/", account.language, name="language"),
    path("switch/organization/", account.switch_organization, name="switch_organization"),
    path("switch/location/", account.switch_location, name="switch_location"),
    path("org/regions/", regions.region_list, name="regions"),
    path("org/regions/new/", regions.region_create, name="region_create"),
    path("org/regions/<int:region_id>/", regions.region_edit, name="region_edit"),
    path("org/regions/<int:region_id>/delete/", regions.region_delete, name="region_delete"),
    path("org/locations/", locations.location_list, name="locations"),
    path("org/locations/new/", locations.location_create, name="location_create"),
    path("org/locations/<int:location_id>/", locations.location_edit, name="location_edit"),
    path(
        "org/locations/<int:location_id>/deactivate/",
        locations.location_set_active,
        {"active": False},
        name="location_deactivate",
    ),
    path(
        "org/locations/<int:location_id>/activate/",
        locations.location_set_active,
        {"active": True},
        name="location_activate",
    ),
    path("org/users/", users.user_list, name="users"),
    path("org/users/new/", users.user_create, name="user_create"),
    path("org/users/<int:user_id>/", users.user_detail, name="user_detail"),
    path("org/users/<int:user_id>/grants/", users.grant_add, name="grant_add"),
    path(
        "org/users/<int:user_id>/grants/<int:grant_id>/revoke/",
        users.grant_revoke,
        name="grant_revoke",
    ),
    path("org/api-keys/", api_keys.api_key_list, name="api_keys"),
    path("org/api-keys/new/", api_keys.api_key_create, name="api_key_create"),
    path("org/api-keys/<int:key_id>/revoke/", api_keys.api_key_revoke, name="api_key_revoke"),
    path("org/audit/", audit.audit_trail, name="audit"),
]
