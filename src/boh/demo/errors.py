"""Error codes of the demo module."""

RESET_REFUSED = "demo_reset_refused"
