"""HTTP operations of the inventory module: parse, call a service or selector, return."""

from ninja import Router

router = Router(tags=["inventory"])
