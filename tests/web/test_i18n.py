"""Languages and formats: Chinese translations, money, dates and numbers per language."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from boh.core.models import AuditEntry
from boh.org.models import Location
from boh.web.audit import describe, shown_value
from boh.web.templatetags.boh import money
from tests.conftest import World

SRC = Path(__file__).resolve().parents[2] / "src" / "boh"


@pytest.mark.parametrize(
    ("language", "amount", "currency", "shown"),
    [
        ("en", Decimal("1234.5"), "CNY", "¥1,234.50"),
        ("en", Decimal("-1234567.891"), "CNY", "-¥1,234,567.89"),
        ("en", Decimal("0.005"), "cny", "¥0.01"),
        ("en", "12", "USD", "$12.00"),
        ("en", Decimal("3.1"), "JPY", "JPY 3.10"),
        ("zh-hans", Decimal("1234.5"), "CNY", "¥1234.50"),
        ("zh-hans", Decimal("98765432.1"), "CNY", "¥98765432.10"),
    ],
)
def test_given_an_amount_when_shown_as_money_then_it_follows_the_language(
    language: str, amount: Decimal | str, currency: str, shown: str
) -> None:
    with translation.override(language):
        assert money(amount, currency) == shown


def test_given_no_amount_or_text_when_shown_as_money_then_nothing_shows() -> None:
    assert (money(None), money(""), money("abc")) == ("", "", "")


def test_given_a_template_when_using_the_money_filter_then_the_default_currency_is_cny() -> None:
    template = Template("{% load boh %}{{ amount|money }}")

    with translation.override("en"):
        assert template.render(Context({"amount": Decimal("88.8")})) == "¥88.80"


def test_given_audit_values_when_shown_then_they_read_in_the_language() -> None:
    kind = Location._meta.get_field("kind")
    created = Location._meta.get_field("created_at")
    with translation.override("zh-hans"), timezone.override("Asia/Shanghai"):
        shown = [
            shown_value(None, None),
            shown_value(None, ""),
            shown_value(None, True),
            shown_value(None, False),
            shown_value(None, [1, 2]),
            shown_value(kind, "central_kitchen"),
            shown_value(created, "2026-03-01T16:30:00+00:00"),
            shown_value(None, 5),
        ]

    assert shown == ["—", "—", "是", "否", "1, 2", "中央厨房", "2026年3月2日 00:30", "5"]


def test_given_a_created_location_when_described_then_only_entered_values_show(
    world: World,
) -> None:
    entry = AuditEntry.objects.get(object_type="org.location", object_id=str(world.kitchen.pk))

    with translation.override("en"):
        row = describe(entry)

    assert row.type_label == "Location"
    assert [(c.field, c.new) for c in row.changes] == [
        ("organization", str(world.org.pk)),
        ("code", "CK1"),
        ("name", "中央厨房"),
        ("kind", "Central kitchen"),
        ("time zone", "Asia/Shanghai"),
        ("currency", "CNY"),
        ("business day cut-off hour", "4"),
        ("active", "Yes"),
    ]


def test_given_chinese_when_translating_api_and_service_messages_then_they_are_chinese() -> None:
    with translation.override("zh-hans"):
        assert gettext("Sign in, or send a valid API key.") == "请先登录，或提供有效的 API 密钥。"
        assert gettext("The organization must keep at least one owner.") == (
            "集团必须至少保留一名所有者。"
        )
        assert gettext("No data yet") == "暂无数据"


@pytest.mark.parametrize("module", ["core", "org", "web"])
def test_given_a_modules_catalog_when_read_then_every_entry_is_translated(module: str) -> None:
    po = (SRC / module / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    entries = [e for e in po.split("\n\n") if "msgid" in e and not e.lstrip().startswith("#~")]

    untranslated = [
        e for e in entries[1:] if re.search(r'^msgstr(\[0\])? ""\n?(?!")', e + "\n", re.M)
    ]

    assert untranslated == []
    assert "#, fuzzy" not in po


def test_given_chinese_when_opening_the_dashboard_then_shell_and_date_are_chinese(
    world: World,
) -> None:
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(world.owner)

    html = client.get("/").content.decode()

    assert '<html lang="zh-hans">' in html
    assert "<h1>仪表盘</h1>" in html
    assert "暂无数据" in html
    assert "退出登录" in html
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", html)


def test_given_english_when_opening_the_audit_trail_then_times_use_english_formats(
    world: World,
) -> None:
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.owner)

    html = client.get("/org/audit/").content.decode()

    assert re.search(r"<time datetime=\"[^\"]+\">\d{2}/\d{2}/\d{4} \d", html)
