"""HTTP operations of the sales module: parse, call a service or selector, return."""

from ninja import Router

router = Router(tags=["sales"])
