"""Inventory documents: transfers between locations, the waste log and stocktakes."""
