"""Writes tests/LstmLab.Experiments.Tests/Fixtures/forecast_metrics.json: the four baselines and the
RMSE, MAE, MAPE, sMAPE and MASE of fixed forecasts, computed independently with numpy following Darts'
definitions (darts/metrics/metrics.py, darts/metrics/utils.py::_get_error_scale, darts/models/forecasting/
baselines.py). Run by hand: /usr/bin/python3 tools/forecasting/make_metric_fixtures.py"""
import json
import os
import numpy as np

rng = np.random.default_rng(11)
series = np.round(100 + np.arange(40) * 1.5 + 12 * np.sin(2 * np.pi * np.arange(40) / 12) + rng.normal(0, 3, 40), 2)
cases = []
for origin, horizon, season, start in [(30, 6, 12, 0), (34, 6, None, 0), (28, 12, 12, 10), (39, 1, 4, 0)]:
    train = series[start:origin]
    actual = series[origin:origin + horizon]
    m = season or 1
    T = len(train)
    naive = np.repeat(train[-1], horizon)
    seasonal = np.array([train[T - m + (h % m)] for h in range(horizon)])
    slope = (train[-1] - train[0]) / (T - 1)
    drift = train[-1] + slope * np.arange(1, horizon + 1)
    mean = np.repeat(train.mean(), horizon)
    insample = series[:origin]
    scale = np.mean(np.abs(insample[m:] - insample[:-m]))
    forecast = np.round(actual + rng.normal(0, 5, horizon), 3)

    def metrics(p):
        e = actual
        return {
            "rmse": float(np.sqrt(np.mean((e - p) ** 2))),
            "mae": float(np.mean(np.abs(e - p))),
            "mape": float(100 * np.mean(np.abs((e - p) / e))),
            "smape": float(200 * np.mean(np.abs(e - p) / (np.abs(e) + np.abs(p)))),
            "mase": float(np.mean(np.abs(e - p)) / scale),
        }

    cases.append({
        "origin": origin, "horizon": horizon, "season": season, "train_start": start,
        "baselines": {"naive": naive.tolist(), "seasonal_naive": seasonal.tolist(), "drift": drift.tolist(), "mean": mean.tolist()},
        "mase_scale": float(scale),
        "forecast": forecast.tolist(),
        "metrics": metrics(forecast),
        "baseline_metrics": {k: metrics(v) for k, v in {"naive": naive, "seasonal_naive": seasonal, "drift": drift, "mean": mean}.items()},
    })
out = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "LstmLab.Experiments.Tests", "Fixtures", "forecast_metrics.json")
with open(out, "w") as f:
    json.dump({"generator": "tools/forecasting/make_metric_fixtures.py (numpy " + np.__version__ + ")", "series": series.tolist(), "cases": cases}, f, indent=1)
print("wrote", os.path.normpath(out))
