"""HTTP operations of the catalog module: parse, call a service or selector, return."""

from ninja import Router

router = Router(tags=["catalog"])
