"""Pages of the demo module: simulation runs, and one run's figures with bar charts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from boh.core.errors import BohError
from boh.demo import selectors
from boh.demo.models import SimulationRun
from boh.demo.simulate import report, services
from boh.demo.simulate.metrics import FIGURES
from boh.demo.simulate.policies import POLICIES
from boh.org.roles import Perm
from boh.web.shell import page, page_actor, refused

CHARTED = ("waste_pct", "lost_sales", "days_on_hand", "food_cost_pct", "avt_pct", "wape")
COLOURS = {"par": "#9aa5b1", "system": "#2f6fdf"}
BAR, GAP, HEIGHT, LABEL = 14, 10, 120, 60


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@page
def simulations(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    if request.method == "POST":
        try:
            run = services.start_simulation(
                actor,
                days=_int(request.POST.get("days")) or 60,
                stores=_int(request.POST.get("stores")),
                seed=_int(request.POST.get("seed")) if request.POST.get("seed") else 1,
                start=request.POST.get("start") or None,
                policies=request.POST.getlist("policies"),
            )
        except BohError as exc:
            return refused(request, exc, reverse("demo:simulations"))
        messages.success(request, _("Simulation %(id)s is queued.") % {"id": run.pk})
        return redirect("demo:simulations")
    runs = list(selectors.simulations(actor)[:50])
    context = {
        "runs": [(run, (run.results or {}).get("ratios") or {}) for run in runs],
        "policies": POLICIES,
        "can_start": actor.can(Perm.PLANNING_MANAGE),
    }
    return render(request, "demo/simulations.html", context)


def _chart(run: SimulationRun, key: str) -> dict[str, Any]:
    """Bars of one figure per store, one bar per policy, scaled to the largest."""
    policies = run.results.get("policies", {})
    stores = list(run.results.get("stores", []))
    values = {
        (name, store): policies[name]["stores"].get(store, {}).get(key)
        for name in policies
        for store in stores
    }
    top = max((float(v) for v in values.values() if v is not None), default=0.0) or 1.0
    group = BAR * len(policies) + GAP
    bars = []
    for s, store in enumerate(stores):
        for p, name in enumerate(policies):
            value = values[(name, store)]
            height = 0.0 if value is None else float(value) / top * HEIGHT
            bars.append(
                {
                    "x": LABEL + s * group + p * BAR,
                    "y": round(HEIGHT - height, 1),
                    "height": round(height, 1),
                    "colour": COLOURS.get(name, "#666"),
                    "title": f"{store} {name}: {value if value is not None else '—'}",
                }
            )
    return {
        "key": key,
        "label": report.LABELS[key],
        "bars": bars,
        "labels": [
            {"x": LABEL + s * group + group / 2 - GAP / 2, "text": store}
            for s, store in enumerate(stores)
        ],
        "width": LABEL + len(stores) * group,
        "height": HEIGHT,
        "bar": BAR - 2,
        "top": round(top, 2),
    }


@page
def simulation(request: HttpRequest, run_id: int) -> HttpResponse:
    actor = page_actor(request)
    run = selectors.simulation(actor, run_id)
    done = run.status == SimulationRun.Status.DONE and run.results.get("policies")
    context: dict[str, Any] = {"run": run, "done": bool(done), "colours": COLOURS}
    if done:
        context["table"] = report.rows(run.results)
        context["charts"] = [_chart(run, key) for key in CHARTED]
        context["ratio_line"] = report.ratio_line(run.results) if run.results.get("ratios") else ""
        context["stores"] = [
            (
                store,
                [
                    (name, run.results["policies"][name]["stores"].get(store, {}))
                    for name in run.results["policies"]
                ],
            )
            for store in run.results.get("stores", [])
        ]
        context["figures"] = [(key, report.LABELS[key]) for key in FIGURES]
    return render(request, "demo/simulation.html", context)
