"""A run's report as a side-by-side table, a CSV file and a JSON file."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from boh.demo.simulate.metrics import FIGURES

LABELS: dict[str, str | Promise] = {
    "purchases": _("Purchases"),
    "waste": _("Waste"),
    "waste_pct": _("Waste, percent of purchases"),
    "lost_sales": _("Lost sales"),
    "lost_pct": _("Lost sales, percent of demand"),
    "net_sales": _("Net sales"),
    "days_on_hand": _("Days on hand"),
    "food_cost_pct": _("Food cost, percent of sales"),
    "avt_pct": _("AvT variance, percent of sales"),
    "wape": _("Forecast error (WAPE)"),
    "bias": _("Forecast bias"),
    "order_lines": _("Order lines"),
    "auto_rate": _("Lines accepted unchanged, percent"),
}


def _cell(value: Any) -> str:
    return "—" if value is None else str(value)


def rows(report: dict[str, Any]) -> list[list[str]]:
    """Figure by figure, one column per policy, chain totals."""
    names = list(report["policies"])
    table = [[str(_("Figure")), *names]]
    for key in FIGURES:
        table.append(
            [str(LABELS[key]), *(_cell(report["policies"][n]["total"].get(key)) for n in names)]
        )
    table.append(
        [str(_("Run time (s)")), *(_cell(report["policies"][n]["seconds"]) for n in names)]
    )
    return table


def csv_rows(report: dict[str, Any]) -> list[list[str]]:
    """One row per policy and store (and the chain as store "*"), every figure a column."""
    result = [["policy", "store", *FIGURES, "seconds"]]
    for name, policy in report["policies"].items():
        result.append(
            [name, "*", *(_cell(policy["total"].get(k)) for k in FIGURES), str(policy["seconds"])]
        )
        for store, figures in policy["stores"].items():
            result.append([name, store, *(_cell(figures.get(k)) for k in FIGURES), ""])
    return result


def write_files(report: dict[str, Any], folder: Path, stem: str) -> tuple[Path, Path]:
    """Write <stem>.csv and <stem>.json into a folder (made if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / f"{stem}.csv"
    json_path = folder / f"{stem}.json"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(csv_rows(report))
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    return csv_path, json_path


def ratio_line(report: dict[str, Any]) -> str:
    """`waste 0.52 lost 0.41 days_on_hand 0.83 (system vs par, 60 days, 12 stores, seed 1)`."""
    ratios = report.get("ratios") or {}
    return (
        f"waste {_cell(ratios.get('waste'))} lost {_cell(ratios.get('lost'))} "
        f"days_on_hand {_cell(ratios.get('days_on_hand'))} (system vs par, "
        f"{report['days']} days, {len(report['stores'])} stores, seed {report['seed']})"
    )
