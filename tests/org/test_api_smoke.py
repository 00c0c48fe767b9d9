from tests.conftest import ApiClient, World


def test_given_an_admin_key_when_listing_locations_then_all_three_are_paged(world: World) -> None:
    api = ApiClient(world.api_key("auditor"))

    response = api.get("/org/locations")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [loc["code"] for loc in body["items"]] == ["A01", "B01", "CK1"]
    assert body["page"] == 1
