"""The operations simulator: a day-by-day twin of the demo chain that compares ordering policies.

`world` reads what the twin needs from the organization's own records (stores, items,
recipes, suppliers and their terms); `guests` draws the same guests for every policy from
the demo demand model; `twin` plays stock, deliveries, waste, counts and lost sales in
memory; `policies` decides what each store orders (par levels set by hand, or BOH's
forecast-driven replenishment); `metrics` turns a run into the figures of the report.
Nothing in the twin writes a business row: a run is stored as one SimulationRun.
"""
