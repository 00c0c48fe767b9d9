import io

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from boh.core.errors import BohError
from boh.purchasing import services
from boh.purchasing.models import OrderStatus, PurchaseOrder
from tests.conftest import World
from tests.purchasing.conftest import Buying


def _approved(world: World, buying: Buying) -> PurchaseOrder:
    order = buying.order((buying.beef_si, "2"), (buying.oil_si, "1"), note="请走后门")
    return services.approve_order(world.actor, services.submit_order(world.actor, order))


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_given_an_approved_order_when_sent_then_supplier_gets_the_pdf_and_a_copy_is_kept(
    world: World, buying: Buying
) -> None:
    order = _approved(world, buying)

    order = services.send_order(world.actor, order)

    assert order.status == OrderStatus.SENT
    assert order.sent_to == "orders@xianda.example"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["orders@xianda.example"]
    assert (
        message.subject == f"采购单 {order.number}，采购方 acme 餐饮集团"
        or order.number in message.subject
    )
    (filename, content, mimetype) = message.attachments[0]
    assert (filename, mimetype) == (f"{order.number}.pdf", "application/pdf")
    with order.sent_copy.open("rb") as kept:
        assert kept.read() == content
    assert order.sent_copy.name.endswith(f"{order.number}.pdf")


def test_the_order_pdf_carries_chinese_text_that_extracts_as_written(
    world: World, buying: Buying
) -> None:
    order = services.send_order(world.actor, _approved(world, buying))

    text = _text(mail.outbox[0].attachments[0][1])

    with translation.override("zh-hans"):
        title = _("Purchase order")
    assert f"{title} {order.number}" in text
    for expected in [
        "北京鲜达食品有限公司",
        "acme 餐饮集团",
        "肥牛卷",
        "菜籽油",
        "10 x 1 kg",
        "4 x 5 l",
        "请走后门",
        "1700.00",
        "260.00",
        "1960.00",
        "A店",
    ]:
        assert expected in text


def test_given_a_supplier_without_email_when_sending_then_refused_and_still_approved(
    world: World, buying: Buying
) -> None:
    services.update_supplier(world.actor, buying.supplier, email="")
    order = _approved(world, buying)

    with pytest.raises(BohError) as exc:
        services.send_order(world.actor, order)

    assert [(f.field, f.code) for f in exc.value.fields] == [("to", "supplier_has_no_email")]
    order.refresh_from_db()
    assert (order.status, order.sent_copy.name) == (OrderStatus.APPROVED, "")
    assert mail.outbox == []


def test_given_a_primary_contact_email_when_the_supplier_has_none_then_it_is_used(
    world: World, buying: Buying
) -> None:
    services.update_supplier(world.actor, buying.supplier, email="")
    services.add_contact(
        world.actor, buying.supplier, name="王经理", email="wang@xianda.example", is_primary=True
    )

    services.send_order(world.actor, _approved(world, buying))

    assert mail.outbox[0].to == ["wang@xianda.example"]


def test_given_the_mail_server_down_when_sending_then_502_and_the_order_stays_approved(
    world: World, buying: Buying, settings: object
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST = "127.0.0.1"  # type: ignore[attr-defined]
    settings.EMAIL_PORT = 9  # type: ignore[attr-defined]
    settings.EMAIL_TIMEOUT = 2  # type: ignore[attr-defined]
    settings.EMAIL_USE_TLS = False  # type: ignore[attr-defined]
    order = _approved(world, buying)

    with pytest.raises(BohError) as exc:
        services.send_order(world.actor, order)

    assert (exc.value.code, exc.value.status) == ("email_failed", 502)
    order.refresh_from_db()
    assert (order.status, order.sent_at) == (OrderStatus.APPROVED, None)
