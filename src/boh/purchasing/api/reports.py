"""Purchasing reports: scorecard, price variance, spend, open and overdue orders."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from boh.core.schemas import ERRORS, Pages
from boh.org.access import request_actor as _actor
from boh.purchasing import selectors
from boh.purchasing.schemas import OrderOut, ScoreOut, SpendOut, VarianceOut

router = Router(tags=["purchasing: reports"])


class Period(Schema):
    date_from: dt.date | None = Field(None, description="Default: 30 days before date_to")
    date_to: dt.date | None = Field(None, description="Default: today")

    def bounds(self) -> tuple[dt.date, dt.date]:
        end = self.date_to or timezone.localdate()
        return self.date_from or end - dt.timedelta(days=30), end


class SpendPeriod(Period):
    by: str = Field("supplier", pattern="^(supplier|category|location|month)$")


@router.get("/reports/scorecard", response={200: list[ScoreOut], **ERRORS})
def scorecard(request: HttpRequest, period: Query[Period]) -> Any:
    """Supplier scorecard: on time, in full, OTIF, price variance, rejections, invoice accuracy."""
    return selectors.supplier_scorecard(_actor(request), *period.bounds())


@router.get("/reports/price-variance", response={200: list[VarianceOut], **ERRORS})
def price_variance(request: HttpRequest, period: Query[Period]) -> Any:
    """Purchase price variance by item and supplier: (delivered - agreed price) x quantity."""
    return selectors.price_variance(_actor(request), *period.bounds())


@router.get("/reports/spend", response={200: list[SpendOut], **ERRORS})
def spend(request: HttpRequest, period: Query[SpendPeriod]) -> Any:
    """Received value by supplier, category, location or month."""
    return selectors.spend(_actor(request), *period.bounds(), by=period.by)


class OpenFilter(Schema):
    overdue: bool = False


@router.get("/reports/open-orders", response={200: list[OrderOut], **ERRORS})
@paginate(Pages)
def open_orders(request: HttpRequest, filters: Query[OpenFilter]) -> Any:
    """Orders approved or sent and not yet fully received; overdue=true for late ones."""
    return selectors.open_orders(_actor(request), overdue_only=filters.overdue)
