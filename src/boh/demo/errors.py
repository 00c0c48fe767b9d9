"""Error codes of the demo module."""

RESET_REFUSED = "demo_reset_refused"
SIMULATION_NO_CHAIN = "simulation_no_chain"
INVALID_POLICIES = "invalid_policies"
