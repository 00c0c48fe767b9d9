"""Writes of the planning module, split by subject.

forecasts.py (forecast runs and their scoring against sales), calendar.py (events,
weather, store profiles, sold-out days), production.py (ingredient demand and prep lists),
replenishment.py (settings, suggested orders and transfers), decisions.py (accepting,
editing, dismissing suggestions; automatic orders).
"""
