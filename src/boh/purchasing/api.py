"""HTTP operations of the purchasing module: parse, call a service or selector, return."""

from ninja import Router

router = Router(tags=["purchasing"])
