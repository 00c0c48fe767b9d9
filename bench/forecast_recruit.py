"""RMSLE of BOH's forecaster on the Recruit restaurant visitor data, against a weighted mean.

    .venv/bin/python bench/forecast_recruit.py \
        --data ../shared/data/recruit-restaurant --out var/recruit.csv

Trains on visits up to 2017-03-14, forecasts 2017-03-15..2017-04-22 for every store in the
file, writes air_store_id,visit_date,visitors, and scores the rows that exist.

Besides all stores, it scores two fixed random halves of the stores (seed `--split-seed`):
settings are chosen on half A alone and confirmed on half B, so a setting that only fits
the stores it was chosen on shows as a worse ratio on B.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from boh.planning.forecast.engine import forecast_panel
from boh.planning.forecast.metrics import rmsle
from boh.planning.forecast.panel import build_panel

TRAIN_END = pd.Timestamp("2017-03-14")
HORIZON = 39


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--origins", type=int, default=60)
    parser.add_argument("--threads", type=int, default=1, help="LightGBM threads")
    parser.add_argument("--split-seed", type=int, default=2024, help="seed of the store halves")
    args = parser.parse_args()

    visits = pd.read_csv(args.data / "air_visit_data.csv", parse_dates=["visit_date"])
    info = pd.read_csv(args.data / "air_store_info.csv")
    stores = sorted(visits["air_store_id"].unique())
    train = visits[visits["visit_date"] <= TRAIN_END]
    truth = visits[(visits["visit_date"] > TRAIN_END)]
    truth = truth[truth["visit_date"] <= TRAIN_END + pd.Timedelta(days=HORIZON)]

    panel = build_panel(
        train.rename(columns={"air_store_id": "series", "visit_date": "date", "visitors": "y"}),
        end=TRAIN_END,
        series=stores,
    )
    attrs = info.set_index("air_store_id").reindex(stores)
    static = pd.DataFrame(
        {
            "genre": attrs["air_genre_name"].astype("category").cat.codes.to_numpy(),
            "area": attrs["air_area_name"]
            .str.split(" ")
            .str[0]
            .astype("category")
            .cat.codes.to_numpy(),
        }
    )

    started = time.perf_counter()
    result = forecast_panel(
        panel,
        HORIZON,
        country="JP",
        static=static,
        model="gbm",
        n_origins=args.origins,
        threads=args.threads,
    )
    model_seconds = time.perf_counter() - started
    baseline = forecast_panel(panel, HORIZON, country="JP", model="weighted_mean")

    def long(p50: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "air_store_id": np.repeat(result.series, HORIZON),
                "visit_date": np.tile(result.dates, len(result.series)),
                "visitors": p50.reshape(-1),
            }
        )

    out = long(result.p50)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    out.assign(visit_date=out["visit_date"].dt.strftime("%Y-%m-%d")).to_csv(args.out, index=False)

    scored = truth.merge(out, on=["air_store_id", "visit_date"], suffixes=("", "_f"))
    base = truth.merge(long(baseline.p50), on=["air_store_id", "visit_date"], suffixes=("", "_f"))
    model_score = rmsle(scored["visitors_f"].to_numpy(), scored["visitors"].to_numpy())
    base_score = rmsle(base["visitors_f"].to_numpy(), base["visitors"].to_numpy())
    print(f"stores {len(stores)}, scored rows {len(scored)}, model time {model_seconds:.1f}s")
    order = np.random.default_rng(args.split_seed).permutation(len(stores))
    half_a = {stores[i] for i in order[: len(stores) // 2]}
    for name, keep in (("half A", True), ("half B", False)):
        rows = scored["air_store_id"].isin(half_a).to_numpy() == keep
        base_rows = base["air_store_id"].isin(half_a).to_numpy() == keep
        m = rmsle(scored["visitors_f"].to_numpy()[rows], scored["visitors"].to_numpy()[rows])
        b = rmsle(base["visitors_f"].to_numpy()[base_rows], base["visitors"].to_numpy()[base_rows])
        print(f"{name}: rmsle {m:.4f} weighted_mean {b:.4f} ratio {m / b:.3f}")
    print(
        f"rmsle {model_score:.4f} weighted_mean {base_score:.4f} "
        f"ratio {model_score / base_score:.3f} (gbm vs recency-weighted weekday mean)"
    )


if __name__ == "__main__":
    main()
