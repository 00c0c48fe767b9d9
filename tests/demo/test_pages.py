"""The simulations page and API: start a run, read its figures, see its charts."""

from __future__ import annotations

import pytest
from django.test import Client

from boh.demo.chain import DemoChain
from boh.demo.models import SimulationRun
from boh.demo.simulate import services
from boh.demo.tasks import run_simulation_job
from boh.planning.forecast import pipeline


@pytest.fixture
def fast_forecast(monkeypatch: pytest.MonkeyPatch) -> None:
    # The weekday baseline alone: the same pipeline, without training a model in a test.
    monkeypatch.setattr(
        services, "SIMULATION_FORECAST", pipeline.Settings(models=(pipeline.BASELINE,))
    )


@pytest.mark.django_db
def test_given_an_owner_when_starting_a_simulation_by_api_then_it_runs_and_reports_each_store(
    small_chain: DemoChain, fast_forecast: None
) -> None:
    client = Client()
    client.force_login(small_chain.users["owner"])
    response = client.post(
        "/api/v1/demo/simulations",
        {"days": 3, "stores": 2, "seed": 7},
        content_type="application/json",
    )
    assert response.status_code == 202
    assert response.json()["status"] == "queued"

    run_simulation_job(response.json()["job_id"])

    run = SimulationRun.objects.get(pk=response.json()["id"])
    assert (run.status, run.error) == (SimulationRun.Status.DONE, "")
    body = client.get(f"/api/v1/demo/simulations/{run.pk}").json()
    assert body["results"]["stores"] == ["GZ01", "SH01"]
    assert set(body["results"]["policies"]) == {"par", "system"}
    assert set(body["results"]["policies"]["par"]["stores"]) == {"GZ01", "SH01"}
    listed = client.get("/api/v1/demo/simulations").json()
    assert [item["id"] for item in listed["items"]] == [run.pk]

    page = client.get(f"/demo/simulations/{run.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<figure class="card" id="chart-') == 6
    assert html.count("<rect x=") == 6 * 2 * 2
    assert 'id="chart-waste_pct"' in html
    assert "(system vs par, 3 days, 2 stores, seed 7)" in html
    index = client.get("/demo/simulations/")
    assert f'href="/demo/simulations/{run.pk}/"' in index.content.decode()


@pytest.mark.django_db
def test_given_bad_options_when_posting_the_form_then_the_page_says_why_and_nothing_is_kept(
    small_chain: DemoChain,
) -> None:
    client = Client()
    client.force_login(small_chain.users["owner"])

    response = client.post("/demo/simulations/", {"days": "400", "policies": ["par"]}, follow=True)

    assert response.status_code == 200
    assert not SimulationRun.objects.exists()
    assert "400" not in [m.message for m in response.context["messages"]]
    assert len(list(response.context["messages"])) == 1


@pytest.mark.django_db
def test_given_a_store_manager_when_opening_simulations_then_there_is_no_form(
    small_chain: DemoChain,
) -> None:
    client = Client()
    client.force_login(small_chain.users["manager.sh01"])

    response = client.get("/demo/simulations/")

    assert response.status_code in {200, 403}
    assert 'id="simulation-form"' not in response.content.decode()
