"""HTTP operations of the menu module: parse, call a service or selector, return."""

from ninja import Router

router = Router(tags=["menu"])
