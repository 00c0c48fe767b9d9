"""The stock ledger: posting, reversing and revaluing moves, lots and closed periods."""
