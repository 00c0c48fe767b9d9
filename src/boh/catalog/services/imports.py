"""Bulk creation of items from spreadsheet rows, with a row-by-row error report."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from boh.catalog import errors
from boh.catalog.models import FACTOR_PLACES, Category, Item, Pack
from boh.catalog.services.common import MAX_FACTOR
from boh.catalog.services.items import check_item_values
from boh.catalog.units import is_standard_unit_name, standard_unit, unit_factor
from boh.core.errors import BohError
from boh.core.models import AuditEntry
from boh.core.numbers import to_decimal
from boh.core.services import emit_event, record_audit
from boh.core.validation import CODE_RE, Checker
from boh.org.access import Actor
from boh.org.roles import Perm

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("code", "name", "base_unit")
COLUMNS = (
    "code",
    "name",
    "name_en",
    "category_code",
    "base_unit",
    "kind",
    "storage",
    "shelf_life_days",
    "shelf_life_open_days",
    "lot_tracked",
    "allergens",
    "packs",
)
_COLUMN_ORDER = {
    **{column: n for n, column in enumerate(COLUMNS)},
    "category_id": COLUMNS.index("category_code"),
}
_TRUE = {"1", "true", "yes", "y", "是"}
_FALSE = {"", "0", "false", "no", "n", "否"}
# "12x750ml", "12 x bottle", "25kg", "750 ml", "30" (base units).
_PACK_SIZE = re.compile(
    r"^(?:(?P<count>\d+(?:\.\d+)?)\s*[xX×*]\s*)?(?P<qty>\d+(?:\.\d+)?)?\s*(?P<unit>[^\d\s]\S*)?$"
)
_FACTOR_STEP = Decimal(1).scaleb(-FACTOR_PLACES)

Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row: its line in the file, the column and the reason."""

    line: int
    field: str
    code: str
    message: str


@dataclass
class ImportReport:
    """The outcome of an import: items created, or the errors that stopped it."""

    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _PackSpec:
    code: str
    factor: Decimal
    inner_code: str | None = None
    inner_count: Decimal | None = None


@dataclass
class _Row:
    line: int
    values: dict[str, Any]
    packs: list[_PackSpec]


def _text(row: Mapping[Any, Any], column: str) -> str:
    value = row.get(column)
    return "" if value is None else str(value).strip()


def _parse_pack_specs(item: Item, text: str, check: Checker) -> list[_PackSpec]:
    """Packs written as "case=12xbottle;bottle=750ml", in an order where inner packs come first."""
    raw: list[tuple[str, re.Match[str]]] = []
    seen: set[str] = set()
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        code, sep, size = (s.strip() for s in part.partition("="))
        match = _PACK_SIZE.match(size)
        if not sep or not size or match is None:
            check.fail(
                "packs",
                "invalid_pack",
                _("Write each pack as code=size, e.g. case=12x750ml; not '%(part)s'.")
                % {"part": part[:60]},
            )
            continue
        if not CODE_RE.match(code) or len(code) > 20 or is_standard_unit_name(code):
            check.fail(
                "packs",
                "invalid_code",
                _("'%(code)s' cannot be a pack code.") % {"code": code[:40]},
            )
            continue
        if code.lower() in seen:
            check.fail(
                "packs",
                errors.DUPLICATE_CODE,
                _("Pack '%(code)s' is listed twice.") % {"code": code},
            )
            continue
        seen.add(code.lower())
        raw.append((code, match))

    # Resolve packs whose size is given in other packs of the row, in dependency order;
    # plain sizes first, so "case=12x750ml" can find the row's 750 ml bottle.
    done: dict[str, _PackSpec] = {}
    ordered: list[_PackSpec] = []
    pending = sorted(raw, key=lambda entry: entry[1]["count"] is not None)
    while pending:
        waiting: list[tuple[str, re.Match[str]]] = []
        for code, match in pending:
            failures = len(check.errors)
            spec = _pack_spec(item, code, match, done, seen, check)
            if spec is not None:
                done[code.lower()] = spec
                ordered.append(spec)
            elif len(check.errors) == failures:
                waiting.append((code, match))
        if len(waiting) == len(pending):
            for code, _match in waiting:
                check.fail(
                    "packs",
                    errors.PACK_CYCLE,
                    _("Pack '%(code)s' is made of itself, or of a pack that is not valid.")
                    % {"code": code},
                )
            break
        pending = waiting
    return ordered


def _pack_spec(
    item: Item,
    code: str,
    match: re.Match[str],
    done: dict[str, _PackSpec],
    row_codes: set[str],
    check: Checker,
) -> _PackSpec | None:
    """One pack's exact size, or None while the pack it is made of is not resolved yet."""
    count = to_decimal(match["count"]) if match["count"] else None
    quantity = to_decimal(match["qty"]) if match["qty"] else Decimal(1)
    unit = match["unit"] or item.base_unit
    if standard_unit(unit) is None and unit.lower() in row_codes and unit.lower() not in done:
        return None
    packs = {c: Pack(code=c, factor=s.factor) for c, s in done.items()}
    try:
        size = quantity * unit_factor(item, unit, packs, "packs")
    except BohError as exc:
        check.fail("packs", exc.code, f"{code}: {exc.message}")
        return None
    factor = size * (count if count is not None else 1)
    if factor <= 0:
        check.fail(
            "packs", "not_positive", _("Pack '%(code)s' must hold more than zero.") % {"code": code}
        )
        return None
    if factor >= MAX_FACTOR or factor != factor.quantize(_FACTOR_STEP):
        check.fail(
            "packs",
            errors.PACK_TOO_PRECISE,
            _("Pack '%(code)s' is too large or not exact to %(n)d decimals.")
            % {"code": code, "n": FACTOR_PLACES},
        )
        return None
    inner_code: str | None = None
    inner_count: Decimal | None = None
    if standard_unit(unit) is None:
        inner_code, inner_count = unit.lower(), quantity * (count if count is not None else 1)
    elif count is not None:
        # "12x750ml" names a pack of the row when exactly one is 750 ml.
        same = [c for c, s in done.items() if s.factor == size]
        if len(same) == 1:
            inner_code, inner_count = same[0], count
    return _PackSpec(code, factor.quantize(_FACTOR_STEP), inner_code, inner_count)


def _parse_row(
    actor: Actor,
    line: int,
    row: Mapping[Any, Any],
    categories: dict[str, int],
    report: ImportReport,
) -> _Row | None:
    check = Checker()
    if row.get(None):
        check.fail("row", "too_many_values", _("This row has more values than the header."))
    values: dict[str, Any] = {
        "code": _text(row, "code"),
        "name": _text(row, "name"),
        "name_en": _text(row, "name_en"),
        "base_unit": _text(row, "base_unit").lower(),
        "kind": _text(row, "kind").lower() or Item.Kind.INGREDIENT,
        "storage": _text(row, "storage").lower() or Item.Storage.AMBIENT,
        "allergens": [a.strip().lower() for a in _text(row, "allergens").split(";") if a.strip()],
    }
    for column in ("shelf_life_days", "shelf_life_open_days"):
        text = _text(row, column)
        if not text:
            values[column] = None
        elif text.isdigit():
            values[column] = int(text)
        else:
            check.fail(column, "invalid_integer", _("Enter a whole number."))
    lot = _text(row, "lot_tracked").lower()
    if lot not in _TRUE | _FALSE:
        check.fail("lot_tracked", "invalid_boolean", _("Enter yes or no."))
    values["lot_tracked"] = lot in _TRUE
    category_code = _text(row, "category_code").lower()
    values["category_id"] = None
    if category_code:
        values["category_id"] = categories.get(category_code)
        if values["category_id"] is None:
            check.fail("category_code", "not_found", _("No such category."))
            del values["category_id"]
    clean = check_item_values(actor, values, check)
    packs: list[_PackSpec] = []
    if not check.has("base_unit"):
        draft = Item(name=clean["name"] or clean["code"], base_unit=clean["base_unit"])
        packs = _parse_pack_specs(draft, _text(row, "packs"), check)
    for error in sorted(check.errors, key=lambda e: _COLUMN_ORDER.get(e.field, len(COLUMNS))):
        report.errors.append(RowError(line, error.field, error.code, error.message))
    return None if check.errors else _Row(line, clean, packs)


def import_items(
    actor: Actor,
    rows: Iterable[Mapping[Any, Any]],
    *,
    first_line: int = 2,
    progress: Progress | None = None,
) -> ImportReport:
    """Create items and their packs from CSV rows, all or nothing.

    Every row is checked first; the report lists each fault by line, column and reason.
    If any row fails, nothing at all is written. Otherwise every item and pack is created
    in one transaction. Columns: code, name, name_en, category_code, base_unit, kind,
    storage, shelf_life_days, shelf_life_open_days, lot_tracked, allergens (codes separated
    by ";") and packs ("case=12x750ml;bottle=750ml", "bag=25kg", "case=12xbottle").
    """
    actor.require(Perm.CATALOG_MANAGE)
    report = ImportReport()
    rows = list(rows)
    report.rows = len(rows)
    header = set(rows[0]) if rows else set()
    missing = [c for c in REQUIRED_COLUMNS if rows and c not in header]
    unknown = sorted(str(c) for c in header - set(COLUMNS) if c is not None)
    for column in missing:
        report.errors.append(
            RowError(first_line - 1, column, "missing_column", _("This column is missing."))
        )
    for column in unknown:
        report.errors.append(
            RowError(first_line - 1, column, "unknown_column", _("Unknown column."))
        )
    if report.errors:
        return report

    categories = dict(
        Category.objects.filter(organization=actor.organization)
        .annotate(lower_code=Lower("code"))
        .values_list("lower_code", "id")
    )
    file_codes = [_text(r, "code").lower() for r in rows]
    taken = set(
        Item.objects.filter(organization=actor.organization)
        .annotate(lower_code=Lower("code"))
        .filter(lower_code__in=[c for c in file_codes if c])
        .values_list("lower_code", flat=True)
    )
    first_seen: dict[str, int] = {}
    parsed: list[_Row] = []
    for line, row in enumerate(rows, start=first_line):
        result = _parse_row(actor, line, row, categories, report)
        code = _text(row, "code").lower()
        if code and code in taken:
            report.errors.append(
                RowError(line, "code", errors.DUPLICATE_CODE, _("This code is already in use."))
            )
        elif code and code in first_seen:
            report.errors.append(
                RowError(
                    line,
                    "code",
                    errors.DUPLICATE_CODE,
                    _("This code is also on line %(line)d.") % {"line": first_seen[code]},
                )
            )
        elif result is not None:
            parsed.append(result)
        first_seen.setdefault(code, line)
        if progress is not None:
            progress("check", 1)
    if report.errors:
        logger.warning(
            "refused item import in %s: %d errors in %d rows",
            actor.organization.code,
            len(report.errors),
            len(rows),
        )
        return report

    with transaction.atomic():
        items = Item.objects.bulk_create(
            [Item(organization=actor.organization, **row.values) for row in parsed]
        )
        for item, parsed_row in zip(items, parsed, strict=True):
            record_audit(actor, AuditEntry.Action.CREATE, item, verb="imported")
            made: dict[str, Pack] = {}
            for spec in parsed_row.packs:
                pack = Pack.objects.create(
                    item=item,
                    code=spec.code,
                    name=spec.code,
                    factor=spec.factor,
                    inner_pack=made.get(spec.inner_code) if spec.inner_code else None,
                    inner_count=spec.inner_count,
                )
                made[spec.code.lower()] = pack
                record_audit(
                    actor,
                    AuditEntry.Action.CREATE,
                    pack,
                    verb="imported",
                    organization_id=actor.organization_id,
                )
            if progress is not None:
                progress("write", 1)
        emit_event(
            "catalog.items_imported",
            {"count": len(items), "item_ids": [i.pk for i in items]},
            organization_id=actor.organization_id,
            actor=actor,
        )
    report.created = len(items)
    logger.info("imported %d items into %s", len(items), actor.organization.code)
    return report
