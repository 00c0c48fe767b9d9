"""Demand forecasting: calendars, baselines and a global gradient-boosted model.

The engine works on plain frames (series id, date, value) so that the same code serves
stores from the daily sales facts and benchmarks on public data sets.
"""
