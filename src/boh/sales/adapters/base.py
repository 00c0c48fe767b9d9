"""What every POS file adapter produces: tickets as ingest_tickets takes them, with the file
rows each came from, and the rows that could not be read."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from boh.core.errors import BohError
from boh.sales import errors

TRUE = frozenset({"1", "true", "yes", "y", "是"})
FALSE = frozenset({"", "0", "false", "no", "n", "否"})


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row of the file: its row number, the column and the reason."""

    row: int
    field: str
    code: str
    message: str


@dataclass
class FileTicket:
    """A ticket read from a file; line_rows[n] is the file row of the ticket's line n."""

    ticket: dict[str, Any]
    row: int
    line_rows: list[int] = field(default_factory=list)

    def row_of(self, line: int | None) -> int:
        if line is not None and 0 <= line < len(self.line_rows):
            return self.line_rows[line]
        return self.row


@dataclass
class Parsed:
    tickets: list[FileTicket] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0


@dataclass(frozen=True)
class Target:
    """Where the file's sales happened, and the POS source their codes belong to."""

    location_code: str
    time_zone: str
    source: str

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


def unreadable(error: Exception) -> BohError:
    return BohError(
        code=errors.UNREADABLE_FILE,
        message=_("The file cannot be read: %(error)s") % {"error": str(error)[:200]},
        field="file",
    )


def csv_rows(content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV file with a header row, numbered as a spreadsheet shows them (header = 1)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise unreadable(exc) from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        for n, row in enumerate(reader, start=2):
            yield n, {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
    except csv.Error as exc:
        raise unreadable(exc) from None


def xlsx_rows(content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of the first sheet of an XLSX workbook with a header row, as text."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise unreadable(exc) from None
    sheet = book.worksheets[0]
    header: list[str] = []
    for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if n == 1:
            header = [str(v).strip() if v is not None else "" for v in values]
            continue
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        yield n, {h: cell_text(v) for h, v in zip(header, values, strict=False) if h}
    book.close()


def cell_text(value: Any) -> str:
    """A spreadsheet cell as text: dates and times in ISO 8601, numbers without float noise."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return str(value).strip()


def flag(value: str) -> bool | None:
    """A yes/no cell; None when it is neither."""
    text = value.strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    return None


@functools.lru_cache(maxsize=4096)
def local_time(text: str, zone: zoneinfo.ZoneInfo, formats: tuple[str, ...]) -> dt.datetime | None:
    """A time given with an offset (ISO 8601), or in local time at the location.

    Cached: the rows of one ticket repeat its time, and strptime is slow."""
    text = text.strip()
    if not text:
        return None
    moment: dt.datetime | None = None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        for fmt in formats:
            try:
                moment = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        if moment is None:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment
