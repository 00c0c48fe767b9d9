"""The purchase order as a PDF, with Chinese text in the CID font every PDF reader has."""

from __future__ import annotations

import io
from collections import defaultdict
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from boh.org.models import Location
from boh.purchasing.models import OrderLine, PurchaseOrder

# Adobe's Song typeface for simplified Chinese: readers supply it, so nothing is embedded.
FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=20, spaceAfter=4 * mm)
_TEXT = ParagraphStyle("text", fontName=FONT, fontSize=9, leading=12)
_HEAD = ParagraphStyle("head", fontName=FONT, fontSize=11, leading=14, spaceBefore=4 * mm)


def _qty(value: object) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _price(value: Decimal) -> str:
    cents = value.quantize(Decimal("0.01"))
    return f"{cents:f}" if cents == value else f"{value.normalize():f}"


def render_order_pdf(order: PurchaseOrder, language: str = "zh-hans") -> bytes:
    """The order as the supplier receives it: header, then each delivery location's lines."""
    lines = list(
        order.lines.select_related("supplier_item", "item", "location").order_by("line_no")
    )
    by_location: dict[int, list[OrderLine]] = defaultdict(list)
    locations: dict[int, Location] = {}
    for line in lines:
        by_location[line.location_id].append(line)
        locations[line.location_id] = line.location
    buffer = io.BytesIO()
    with translation.override(language):
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=15 * mm,
            bottomMargin=15 * mm,
            title=f"{_('Purchase order')} {order.number}",
        )
        supplier = order.supplier
        story: list[object] = [
            Paragraph(f"{_('Purchase order')} {order.number}", _TITLE),
            Paragraph(f"{_('Buyer')}: {order.organization.name}", _TEXT),
            Paragraph(f"{_('Supplier')}: {supplier.name} ({supplier.code})", _TEXT),
        ]
        if supplier.tax_id:
            story.append(Paragraph(f"{_('Supplier tax id')}: {supplier.tax_id}", _TEXT))
        if order.expected_date:
            story.append(
                Paragraph(f"{_('Expected delivery')}: {order.expected_date.isoformat()}", _TEXT)
            )
        if order.note:
            story.append(Paragraph(f"{_('Note')}: {order.note}", _TEXT))
        for location_id, rows in by_location.items():
            location = locations[location_id]
            story.append(
                Paragraph(f"{_('Deliver to')}: {location.name} {location.address}".strip(), _HEAD)
            )
            data = [
                [
                    _("No."),
                    _("Code"),
                    _("Item"),
                    _("Pack"),
                    _("Quantity"),
                    _("Unit price"),
                    _("Amount"),
                ]
            ]
            for line in rows:
                si = line.supplier_item
                data.append(
                    [
                        str(line.line_no),
                        si.supplier_code,
                        Paragraph(line.item.name, _TEXT),
                        Paragraph(si.pack_label or si.pack_code, _TEXT),
                        f"{_qty(line.quantity)} {si.pack_code}",
                        _price(line.unit_price),
                        f"{line.amount:f}",
                    ]
                )
            table = Table(
                data,
                colWidths=[10 * mm, 28 * mm, 48 * mm, 30 * mm, 24 * mm, 20 * mm, 20 * mm],
                repeatRows=1,
            )
            table.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, -1), FONT),
                        ("FONTSIZE", (0, 0), (-1, -1), 9),
                        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                        ("ALIGN", (4, 1), (-1, -1), "RIGHT"),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ]
                )
            )
            story.append(table)
        story.append(Spacer(1, 4 * mm))
        story.append(Paragraph(f"{_('Total')}: {order.currency} {order.total:f}", _HEAD))
        doc.build(story)
    return buffer.getvalue()
