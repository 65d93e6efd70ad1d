"""Make data/temperature.csv from the real Seattle daily weather shipped with vega_datasets.

    python scripts/make_temperature.py

Source: ``vega_datasets.data.seattle_weather()``, a file inside the
vega_datasets package (NOAA daily records for Seattle, 2012-01-01 to
2015-12-31, 1461 days); nothing is downloaded.

Each day becomes one step with three features:
    temp     the daily mean (temp_max + temp_min) / 2 in degrees C, 2 decimals
    doy_sin  sin(2 pi (day of year - 1) / 365.25), 4 decimals
    doy_cos  cos(2 pi (day of year - 1) / 365.25), 4 decimals (with doy_sin: the season)
and one label, temp_next, the next day's temp.

The days are cut into disjoint windows of 14 (stride 14): 104 sequences in
date order, each named by the date of its first day (YYYY-MM-DD), so a
chronological split is ``split(ratio, shuffle=False)``. The last 4 days of
2015 are not used: they do not fill a window.
"""
from pathlib import Path

import numpy as np
from vega_datasets import data as vega

import rnn_lesson as rl

WINDOW = 14
OUT = Path(__file__).resolve().parents[1] / "data" / "temperature.csv"


def daily_table():
    """One row per day: date (str), temp, doy_sin, doy_cos; checked to have no missing day."""
    weather = vega.seattle_weather()
    gaps = weather["date"].diff().dropna().dt.days
    if not (gaps == 1).all():
        raise ValueError("the Seattle weather file skips or repeats a day; windows would straddle a gap")
    angle = 2 * np.pi * (weather["date"].dt.day_of_year - 1) / 365.25
    return weather.assign(
        date=weather["date"].dt.strftime("%Y-%m-%d"),
        temp=np.round((weather["temp_max"] + weather["temp_min"]) / 2, 2),
        doy_sin=np.round(np.sin(angle), 4) + 0.0,  # + 0.0 turns -0.0 into 0.0
        doy_cos=np.round(np.cos(angle), 4) + 0.0,
    )[["date", "temp", "doy_sin", "doy_cos"]]


def build():
    """The temperature Dataset: N = 104 windows, T = 14 days, F = 3 (temp, doy_sin, doy_cos), L = 1."""
    days = daily_table()
    names = ["temp", "doy_sin", "doy_cos"]
    return rl.window_series(days[names].to_numpy(), WINDOW, stride=WINDOW, index=days["date"], names=names)


def main():
    dataset = build()
    dataset.to_csv(OUT)
    print(f"wrote {OUT.name}: {dataset}")


if __name__ == "__main__":
    main()
