"""POS file adapters: each turns one export format into tickets for ingest_tickets."""

from __future__ import annotations

from collections.abc import Callable

from boh.sales.adapters.base import FileTicket, Parsed, RowError, Target
from boh.sales.adapters.generic import read_generic
from boh.sales.adapters.square import read_square
from boh.sales.adapters.takeaway import read_takeaway

Reader = Callable[[bytes, Target], Parsed]


def _generic(content: bytes, target: Target) -> Parsed:
    # An XLSX file is a zip archive: it starts with "PK".
    return read_generic(content, target, xlsx=content[:2] == b"PK")


FORMATS: dict[str, Reader] = {
    "generic": _generic,
    "square": read_square,
    "takeaway": read_takeaway,
}

__all__ = ["FORMATS", "FileTicket", "Parsed", "Reader", "RowError", "Target"]
