"""Checks one POS ticket, given as plain values, into a CheckedTicket or a list of field errors.

Tickets arrive by the thousand, so these checks are plain functions over dicts (no forms,
no schema objects) and touch no database: locations are looked up by the caller in bulk
and handed in. Every error names its field as the client sent it
(`tickets[3].lines[1].quantity`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from boh.core.errors import FieldError
from boh.core.numbers import MONEY_PLACES, QTY_PLACES, round_money
from boh.core.validation import CODE_RE, moment_problem
from boh.org.models import Location
from boh.sales import errors
from boh.sales.models import Channel, LineState

ZERO = Decimal(0)
# Largest amounts accepted: they stay exact in MONEY and QTY columns on every database.
MAX_QUANTITY = Decimal(10) ** 9
MAX_MONEY = Decimal(10) ** 12
MAX_COVERS = 100_000
MAX_MODIFIERS = 50
MAX_COMPONENTS = 50
# A till clock may run ahead; a ticket closed later than this from now is refused.
FUTURE_LIMIT = dt.timedelta(days=1)

TICKET_KEYS = frozenset(
    {
        "source",
        "external_id",
        "location_id",
        "location_code",
        "opened_at",
        "closed_at",
        "channel",
        "covers",
        "voided",
        "revision",
        "lines",
        "payments",
        "refund_of",
    }
)
LINE_KEYS = frozenset(
    {"pos_code", "name", "quantity", "unit_price", "discount", "modifiers", "components"}
    | {"voided", "refund"}
)
COMPONENT_KEYS = frozenset({"pos_code", "quantity", "modifiers"})
PAYMENT_KEYS = frozenset({"tender", "amount"})
CHANNELS = frozenset(Channel.values)
_QTY_EXP = Decimal(1).scaleb(-QTY_PLACES)
_MONEY_EXP = Decimal(1).scaleb(-MONEY_PLACES)


@dataclass(frozen=True)
class Place:
    """What checking needs to know of a location."""

    id: int
    code: str
    zone: zoneinfo.ZoneInfo
    cutoff: int

    @classmethod
    def of(cls, location: Location) -> Place:
        return cls(
            location.pk,
            location.code,
            zoneinfo.ZoneInfo(location.time_zone),
            location.day_cutoff_hour,
        )


def business_date(at: dt.datetime, zone: zoneinfo.ZoneInfo, cutoff_hour: int) -> dt.date:
    """The business date of a moment at a location: local time, less the day's cut-off hour."""
    return (at.astimezone(zone) - dt.timedelta(hours=cutoff_hour)).date()


@dataclass
class CheckedComponent:
    pos_code: str
    quantity: Decimal
    modifier_codes: tuple[str, ...]
    menu_item_id: int | None = None
    option_ids: tuple[int, ...] = ()


@dataclass
class CheckedLine:
    line_no: int
    pos_code: str
    name: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    net_amount: Decimal
    modifier_codes: tuple[str, ...]
    components: tuple[CheckedComponent, ...] | None
    refund: bool
    voided: bool
    menu_item_id: int | None = None
    option_ids: tuple[int, ...] = ()
    # (code, kind) of each code of this line that has no mapping yet.
    missing: list[tuple[str, str]] = field(default_factory=list)
    state: str = LineState.POSTED

    def all_codes(self) -> list[tuple[str, str]]:
        """Every (code, kind) the line names: its own, its modifiers, its set-meal parts'."""
        codes = [(self.pos_code, "line")]
        codes.extend((m, "modifier") for m in self.modifier_codes)
        for part in self.components or ():
            codes.append((part.pos_code, "line"))
            codes.extend((m, "modifier") for m in part.modifier_codes)
        return codes


@dataclass
class CheckedTicket:
    index: int
    source: str
    external_id: str
    place: Place
    opened_at: dt.datetime | None
    closed_at: dt.datetime
    business_date: dt.date
    hour: int
    channel: str
    covers: int
    voided: bool
    revision: int | None
    lines: list[CheckedLine]
    content: dict[str, Any]
    # The content as canonical JSON (sorted keys), from which content_hash is made.
    content_text: str
    content_hash: str
    gross_sales: Decimal
    discounts: Decimal
    refunds: Decimal
    net_sales: Decimal
    # (tender, amount) in the order the POS sent them, and their sum (None: none sent).
    payments: list[tuple[str, Decimal]] = field(default_factory=list)
    paid: Decimal | None = None
    # External id (same source) of the ticket whose sale the refund lines take back.
    refund_of: str = ""

    def refunded_codes(self) -> dict[str, Decimal]:
        """Quantity each POS code's refund lines take back (positive), voided lines aside."""
        taken: dict[str, Decimal] = {}
        if not self.voided:
            for line in self.lines:
                if line.refund and not line.voided:
                    taken[line.pos_code] = taken.get(line.pos_code, ZERO) - line.quantity
        return taken

    def sold_codes(self) -> dict[str, Decimal]:
        """Quantity each POS code's sale lines sold, voided lines aside."""
        sold: dict[str, Decimal] = {}
        if not self.voided:
            for line in self.lines:
                if not line.refund and not line.voided:
                    sold[line.pos_code] = sold.get(line.pos_code, ZERO) + line.quantity
        return sold


def refund_errors(
    ticket: CheckedTicket, available: dict[str, Decimal], message: str
) -> list[FieldError]:
    """An error on each refund line that takes back more of its POS code than is available."""
    if ticket.voided:
        return []
    taken: dict[str, Decimal] = {}
    errs: list[FieldError] = []
    for line in ticket.lines:
        if not line.refund or line.voided:
            continue
        total = taken[line.pos_code] = taken.get(line.pos_code, ZERO) - line.quantity
        if total > available.get(line.pos_code, ZERO):
            errs.append(
                FieldError(
                    f"tickets[{ticket.index}].lines[{line.line_no}].quantity",
                    errors.REFUND_EXCEEDS_SALE,
                    message % {"code": line.pos_code},
                )
            )
    return errs


class _Errors:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.items: list[FieldError] = []

    def fail(self, at: str, code: str, message: str) -> None:
        self.items.append(FieldError(f"{self.prefix}.{at}" if at else self.prefix, code, message))


def _is_map(value: Any) -> bool:
    # dict first: the ABC check alone costs more than checking a whole line.
    return type(value) is dict or isinstance(value, Mapping)


def _path(at: str, key: str) -> str:
    return f"{at}.{key}" if at else key


def _unknown(errs: _Errors, at: str, value: Mapping[str, Any], allowed: frozenset[str]) -> None:
    if value.keys() <= allowed:
        return
    for key in value:
        if key not in allowed:
            name = f"{at}.{key}" if at else str(key)
            errs.fail(name, "unknown_field", _("Unknown field."))


def _text(
    errs: _Errors, at: str, key: str, value: Any, max_length: int, *, required: bool = True
) -> str:
    if type(value) is str:
        text = value.strip()
    elif value is None:
        text = ""
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    else:
        errs.fail(_path(at, key), "invalid_text", _("Enter text."))
        return ""
    if not text:
        if required:
            errs.fail(_path(at, key), "required", _("This field is required."))
    elif len(text) > max_length:
        errs.fail(
            _path(at, key),
            "too_long",
            _("At most %(n)d characters are allowed.") % {"n": max_length},
        )
    elif not text.isprintable():
        errs.fail(_path(at, key), "invalid_text", _("Use printable characters only."))
    return text


def _number(
    errs: _Errors,
    at: str,
    key: str,
    value: Any,
    exp: Decimal,
    limit: Decimal,
    *,
    required: bool = True,
) -> Decimal | None:
    if value is None:
        if required:
            errs.fail(_path(at, key), "required", _("This field is required."))
        return None
    kind = type(value)
    try:
        if kind is str or kind is int or kind is Decimal:
            number = Decimal(value)
        elif kind is float:
            number = Decimal(repr(value))
        else:
            raise InvalidOperation
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errs.fail(_path(at, key), "invalid_number", _("Enter a number."))
        return None
    if abs(number) >= limit:
        errs.fail(_path(at, key), "too_large", _("This number is too large."))
        return None
    rounded = number.quantize(exp)
    if rounded != number:
        places = -exp.as_tuple().exponent  # type: ignore[operator]
        errs.fail(
            _path(at, key),
            "too_precise",
            _("At most %(n)d decimal places are allowed.") % {"n": places},
        )
        return None
    return rounded


def _flag(errs: _Errors, at: str, key: str, value: Any) -> bool:
    if value is None or value is False:
        return False
    if value is not True:
        errs.fail(_path(at, key), "invalid_boolean", _("Enter true or false."))
        return False
    return True


def parse_time(errs: _Errors, at: str, value: Any, *, required: bool = True) -> dt.datetime | None:
    """An aware datetime from ISO 8601 text (or a datetime), or None with an error."""
    if value is None or value == "":
        if required:
            errs.fail(at, "required", _("This field is required."))
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            errs.fail(at, "invalid_datetime", _("Enter a date and time in ISO 8601."))
            return None
    else:
        errs.fail(at, "invalid_datetime", _("Enter a date and time in ISO 8601."))
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        errs.fail(at, errors.NAIVE_TIME, _("Give the time with its time zone."))
        return None
    if moment_problem(moment) is not None:
        errs.fail(at, "datetime_out_of_range", _("This date and time is out of range."))
        return None
    return moment.astimezone(dt.UTC)


def _codes(errs: _Errors, at: str, key: str, value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if not isinstance(value, list):
        errs.fail(_path(at, key), "invalid_list", _("Give a list of POS codes."))
        return ()
    if len(value) > MAX_MODIFIERS:
        errs.fail(
            _path(at, key),
            "too_many",
            _("At most %(n)d entries are allowed.") % {"n": MAX_MODIFIERS},
        )
        return ()
    return tuple(_text(errs, at, f"{key}[{n}]", code, 64) for n, code in enumerate(value))


def _plain(number: Decimal) -> str:
    return format(number, "f")


class TicketChecker:
    """Checks tickets of one batch against the locations of the organization."""

    def __init__(
        self,
        places_by_id: dict[int, Place],
        places_by_code: dict[str, Place],
        now: dt.datetime,
        default_source: str = "",
    ) -> None:
        self.by_id = places_by_id
        self.by_code = places_by_code
        self.now = now
        self.latest = now + FUTURE_LIMIT
        self.default_source = default_source

    def check(self, index: int, raw: Any) -> CheckedTicket | list[FieldError]:
        """One ticket of the batch: checked, or the errors that refuse it."""
        errs = _Errors(f"tickets[{index}]")
        if not _is_map(raw):
            errs.fail("", errors.INVALID_TICKET, _("Each ticket must be an object."))
            return errs.items
        _unknown(errs, "", raw, TICKET_KEYS)

        source = _text(errs, "", "source", raw.get("source") or self.default_source, 40).lower()
        if source and not CODE_RE.match(source):
            errs.fail(
                "source",
                "invalid_code",
                _("Use letters, digits, '.', '_' and '-' only, starting with a letter or digit."),
            )
        external_id = _text(errs, "", "external_id", raw.get("external_id"), 64)
        place = self._place(errs, raw)
        closed_at = parse_time(errs, "closed_at", raw.get("closed_at"))
        opened_at = parse_time(errs, "opened_at", raw.get("opened_at"), required=False)
        if closed_at is not None and closed_at > self.latest:
            errs.fail("closed_at", errors.IN_FUTURE, _("This time is more than a day ahead."))
        if opened_at is not None and closed_at is not None and opened_at > closed_at:
            errs.fail(
                "opened_at",
                errors.CLOSED_BEFORE_OPENED,
                _("A ticket cannot close before it opens."),
            )
        channel = raw.get("channel") or Channel.DINE_IN
        if channel not in CHANNELS:
            errs.fail(
                "channel",
                "invalid_choice",
                _("'%(value)s' is not one of the allowed values.") % {"value": str(channel)[:50]},
            )
        covers = raw.get("covers", 0)
        if covers is None:
            covers = 0
        if isinstance(covers, bool) or not isinstance(covers, int):
            errs.fail("covers", "invalid_integer", _("Enter a whole number."))
            covers = 0
        elif not 0 <= covers <= MAX_COVERS:
            errs.fail(
                "covers",
                "out_of_range",
                _("Enter a number from %(min)d to %(max)d.") % {"min": 0, "max": MAX_COVERS},
            )
        voided = _flag(errs, "", "voided", raw.get("voided"))
        revision = raw.get("revision")
        if revision is not None and (
            isinstance(revision, bool) or not isinstance(revision, int) or not 0 <= revision < 2**62
        ):
            errs.fail("revision", "invalid_integer", _("Enter a whole number."))
            revision = None

        lines = self._lines(errs, raw.get("lines"))
        payments = self._payments(errs, raw.get("payments"))
        refund_of = _text(errs, "", "refund_of", raw.get("refund_of"), 64, required=False)
        if refund_of and refund_of == external_id:
            errs.fail("refund_of", errors.UNKNOWN_ORIGINAL, _("A ticket cannot refund itself."))
        if errs.items or place is None or closed_at is None:
            return errs.items

        gross = discounts = refunds = ZERO
        for line in lines:
            if line.voided or voided:
                continue
            if line.refund:
                refunds -= line.net_amount
                discounts -= line.discount
            else:
                gross += round_money(line.quantity * line.unit_price)
                discounts += line.discount
        net = gross - discounts - refunds if not voided else ZERO
        if voided:
            gross = discounts = refunds = ZERO
        content = {
            "source": source,
            "external_id": external_id,
            "location_id": place.id,
            "opened_at": opened_at.isoformat() if opened_at else None,
            "closed_at": closed_at.isoformat(),
            "channel": channel,
            "covers": covers,
            "voided": voided,
            "revision": revision,
            "lines": [_line_content(line) for line in lines],
            "payments": [{"tender": t, "amount": _plain(a)} for t, a in payments],
        }
        if refund_of:
            # Only when given, so that tickets without it keep the hash they always had.
            content["refund_of"] = refund_of
        text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        local = closed_at.astimezone(place.zone)
        checked = CheckedTicket(
            index=index,
            source=source,
            external_id=external_id,
            place=place,
            opened_at=opened_at,
            closed_at=closed_at,
            business_date=(local - dt.timedelta(hours=place.cutoff)).date(),
            hour=local.hour,
            channel=channel,
            covers=covers,
            voided=voided,
            revision=revision,
            lines=lines,
            content=content,
            content_text=text,
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
            gross_sales=gross,
            discounts=discounts,
            refunds=refunds,
            net_sales=net,
            payments=payments,
            paid=sum((a for _t, a in payments), ZERO) if payments else None,
            refund_of=refund_of,
        )
        if not refund_of and any(line.refund for line in lines):
            refused = refund_errors(
                checked,
                checked.sold_codes(),
                _(
                    "This refund takes back more %(code)s than the ticket sold; name the "
                    "ticket it refunds in refund_of."
                ),
            )
            if refused:
                return refused
        return checked

    def _place(self, errs: _Errors, raw: Mapping[str, Any]) -> Place | None:
        location_id = raw.get("location_id")
        code = raw.get("location_code")
        if location_id is None and code is None:
            errs.fail("location_id", "required", _("Give the location's id or code."))
            return None
        if location_id is not None and code is not None:
            errs.fail(
                "location_code", "one_location", _("Give the location's id or code, not both.")
            )
            return None
        if location_id is not None:
            place = (
                self.by_id.get(location_id)
                if isinstance(location_id, int) and not isinstance(location_id, bool)
                else None
            )
            if place is None:
                errs.fail("location_id", errors.UNKNOWN_LOCATION, _("No such location."))
            return place
        place = self.by_code.get(str(code).strip().lower())
        if place is None:
            errs.fail("location_code", errors.UNKNOWN_LOCATION, _("No such location."))
        return place

    def _lines(self, errs: _Errors, raw: Any) -> list[CheckedLine]:
        if not isinstance(raw, list):
            errs.fail("lines", "required" if raw is None else "invalid_list", _("Give the lines."))
            return []
        if not raw:
            errs.fail("lines", errors.NO_LINES, _("A ticket needs at least one line."))
        return [self._line(errs, f"lines[{n}]", n, line) for n, line in enumerate(raw)]

    def _line(self, errs: _Errors, at: str, n: int, raw: Any) -> CheckedLine:
        if not _is_map(raw):
            errs.fail(at, "invalid_line", _("Each line must be an object."))
            return _empty_line(n)
        _unknown(errs, at, raw, LINE_KEYS)
        code = _text(errs, at, "pos_code", raw.get("pos_code"), 64)
        name = _text(errs, at, "name", raw.get("name"), 200, required=False)
        refund = _flag(errs, at, "refund", raw.get("refund"))
        voided = _flag(errs, at, "voided", raw.get("voided"))
        quantity = _number(errs, at, "quantity", raw.get("quantity"), _QTY_EXP, MAX_QUANTITY)
        price = _number(errs, at, "unit_price", raw.get("unit_price"), _MONEY_EXP, MAX_MONEY)
        discount = _number(
            errs, at, "discount", raw.get("discount"), _MONEY_EXP, MAX_MONEY, required=False
        )
        if quantity is not None:
            if quantity == 0:
                errs.fail(f"{at}.quantity", errors.ZERO_QUANTITY, _("The quantity cannot be zero."))
            elif quantity < 0 and not refund:
                errs.fail(
                    f"{at}.quantity",
                    errors.REFUND_FLAG_REQUIRED,
                    _("A negative quantity is a refund: mark the line as a refund."),
                )
            elif quantity > 0 and refund:
                errs.fail(
                    f"{at}.quantity",
                    errors.REFUND_NOT_NEGATIVE,
                    _("A refund line takes back a negative quantity."),
                )
        if price is not None and price < 0:
            errs.fail(
                f"{at}.unit_price",
                errors.NEGATIVE_PRICE,
                _("The price cannot be negative; a refund has a negative quantity."),
            )
        if discount is not None and discount < 0:
            errs.fail(
                f"{at}.discount", errors.NEGATIVE_PRICE, _("The discount cannot be negative.")
            )
        modifiers = _codes(errs, at, "modifiers", raw.get("modifiers"))
        parts = raw.get("components")
        components = None if parts is None else self._components(errs, f"{at}.components", parts)
        if quantity is None or price is None:
            return _empty_line(n)
        discount = discount or ZERO
        gross = round_money(quantity * price)
        net = gross + discount if refund else gross - discount
        return CheckedLine(
            line_no=n,
            pos_code=code,
            name=name,
            quantity=quantity,
            unit_price=price,
            discount=discount,
            net_amount=net,
            modifier_codes=modifiers,
            components=components,
            refund=refund,
            voided=voided,
            state=LineState.VOID if voided else LineState.POSTED,
        )

    def _components(self, errs: _Errors, at: str, raw: Any) -> tuple[CheckedComponent, ...] | None:
        if raw is None:
            return None
        if not isinstance(raw, list) or len(raw) > MAX_COMPONENTS:
            errs.fail(
                at, "invalid_list", _("Give at most %(n)d set-meal parts.") % {"n": MAX_COMPONENTS}
            )
            return None
        parts: list[CheckedComponent] = []
        for n, part in enumerate(raw):
            here = f"{at}[{n}]"
            if not _is_map(part):
                errs.fail(here, "invalid_line", _("Each set-meal part must be an object."))
                continue
            _unknown(errs, here, part, COMPONENT_KEYS)
            code = _text(errs, here, "pos_code", part.get("pos_code"), 64)
            quantity = _number(
                errs, here, "quantity", part.get("quantity", 1), _QTY_EXP, MAX_QUANTITY
            )
            if quantity is not None and quantity <= 0:
                errs.fail(
                    f"{here}.quantity", "not_positive", _("Enter a number greater than zero.")
                )
            modifiers = _codes(errs, here, "modifiers", part.get("modifiers"))
            parts.append(CheckedComponent(code, quantity or ZERO, modifiers))
        return tuple(parts)

    def _payments(self, errs: _Errors, raw: Any) -> list[tuple[str, Decimal]]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            errs.fail("payments", "invalid_list", _("Give a list of payments."))
            return []
        result: list[tuple[str, Decimal]] = []
        for n, payment in enumerate(raw):
            at = f"payments[{n}]"
            if not _is_map(payment):
                errs.fail(at, "invalid_payment", _("Each payment must be an object."))
                continue
            _unknown(errs, at, payment, PAYMENT_KEYS)
            tender = _text(errs, at, "tender", payment.get("tender"), 40)
            amount = _number(errs, at, "amount", payment.get("amount"), _MONEY_EXP, MAX_MONEY)
            if amount is not None:
                result.append((tender, amount))
        return result


def _empty_line(n: int) -> CheckedLine:
    return CheckedLine(n, "", "", ZERO, ZERO, ZERO, ZERO, (), None, False, False)


def _line_content(line: CheckedLine) -> dict[str, Any]:
    content: dict[str, Any] = {
        "pos_code": line.pos_code,
        "quantity": _plain(line.quantity),
        "unit_price": _plain(line.unit_price),
        "discount": _plain(line.discount),
        "refund": line.refund,
        "voided": line.voided,
    }
    if line.name:
        content["name"] = line.name
    if line.modifier_codes:
        content["modifiers"] = list(line.modifier_codes)
    if line.components is not None:
        content["components"] = [
            {
                "pos_code": c.pos_code,
                "quantity": _plain(c.quantity),
                "modifiers": list(c.modifier_codes),
            }
            for c in line.components
        ]
    return content
