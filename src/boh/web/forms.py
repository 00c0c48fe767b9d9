"""Forms of the shell pages: they parse what a person typed; services decide what is valid."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from boh.core.errors import BohError
from boh.org import selectors
from boh.org.access import Actor
from boh.org.models import TIME_ZONES, Location, Region
from boh.org.roles import INTERACTIVE_ROLES, Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

T = TypeVar("T")


def show_refusal(form: forms.BaseForm, exc: BohError) -> None:
    """Put a service's field errors next to their inputs; the rest above the form."""
    for error in exc.fields:
        if error.field in form.fields:
            form.add_error(error.field, error.message)
        else:
            form.add_error(None, error.message)
    if not exc.fields:
        form.add_error(None, str(exc.message))


def region_choices(regions: Iterable[Region], blank: str) -> list[tuple[str, str]]:
    """Regions as select options, indented by depth so the tree shows."""
    return [("", blank)] + [
        (str(r.pk), "\u3000" * r.depth + f"{r.name} ({r.code})") for r in regions
    ]


def location_choices(locations: Iterable[Location], blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [(str(loc.pk), f"{loc.code} {loc.name}") for loc in locations]


def _id_field(label: StrOrPromise, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, coerce=int, empty_value=None, required=required)


class BohForm(forms.Form):
    template_name = "web/_form.html"
    error_css_class = "has-error"
    required_css_class = "required"
    # The HTTP status to render the form with: 400, or the service's, after a refusal.
    http_status = 200

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def values(self) -> dict[str, Any]:
        """The parsed values, ready to pass to a service."""
        return dict(self.cleaned_data)

    def submit(self, action: Callable[[dict[str, Any]], T]) -> T | None:
        """Call action with the parsed values; on a refusal, show it on the form and return None."""
        if not self.is_valid():
            self.http_status = 400
            return None
        try:
            return action(self.values())
        except BohError as exc:
            show_refusal(self, exc)
            self.http_status = exc.status
            return None


class LoginForm(BohForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class PasswordChangeForm(BohForm):
    old_password = forms.CharField(
        label=_("Current password"), strip=False, widget=forms.PasswordInput
    )
    new_password = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)
    new_password_again = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].widget.attrs.update(autocomplete="current-password")
        for name in ("new_password", "new_password_again"):
            self.fields[name].widget.attrs.update(autocomplete="new-password")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data


class RegionForm(BohForm):
    code = forms.CharField(label=_("Code"))
    name = forms.CharField(label=_("Name"))
    name_en = forms.CharField(label=_("English name"), required=False)
    parent_id = _id_field(_("Parent region"))

    def __init__(self, *args: Any, regions: Iterable[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent_id"].choices = region_choices(regions, str(_("None (top level)")))  # type: ignore[attr-defined]
        self.fields["parent_id"].help_text = _("Choose another parent to move the region.")


class LocationForm(BohForm):
    code = forms.CharField(label=_("Code"))
    name = forms.CharField(label=_("Name"))
    name_en = forms.CharField(label=_("English name"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Location.Kind.choices)
    region_id = _id_field(_("Region"))
    address = forms.CharField(label=_("Address"), required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=[(z, z) for z in TIME_ZONES])
    currency = forms.CharField(label=_("Currency"), max_length=3)
    day_cutoff_hour = forms.IntegerField(
        label=_("Business day cut-off hour"),
        min_value=0,
        max_value=12,
        help_text=_("Sales before this hour belong to the previous business date."),
    )

    def __init__(self, *args: Any, regions: Iterable[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region_id"].choices = region_choices(regions, str(_("No region")))  # type: ignore[attr-defined]


class LocationFilterForm(BohForm):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    region = _id_field(_("Region"))
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("active", _("Active")), ("inactive", _("Inactive"))],
    )

    def __init__(self, *args: Any, regions: Iterable[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            placeholder=_("Code or name"), type="search", autocomplete="off"
        )
        self.fields["kind"].choices = [("", _("All kinds")), *Location.Kind.choices]  # type: ignore[attr-defined]
        self.fields["region"].choices = region_choices(regions, str(_("All regions")))  # type: ignore[attr-defined]


def _role_field(roles: Iterable[str]) -> forms.ChoiceField:
    wanted = set(roles)
    return forms.ChoiceField(
        label=_("Role"),
        choices=[("", "—"), *((v, label) for v, label in Role.choices if v in wanted)],
    )


class ScopeForm(BohForm):
    """A role with its reach: the whole organization, one region, or one location."""

    region_id = _id_field(_("Only in region"))
    location_id = _id_field(_("Only at location"))

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everywhere = str(_("Whole organization"))
        regions = selectors.regions(actor)
        self.fields["region_id"].choices = region_choices(regions, everywhere)  # type: ignore[attr-defined]
        locations = selectors.locations(actor)
        self.fields["location_id"].choices = location_choices(locations, "—")  # type: ignore[attr-defined]
        self.fields["location_id"].help_text = _("Pick a region or a location, not both.")


class UserCreateForm(ScopeForm):
    username = forms.CharField(label=_("Username"))
    display_name = forms.CharField(label=_("Display name"), required=False)
    email = forms.CharField(label=_("Email"), required=False, widget=forms.EmailInput)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", "—"), *settings.LANGUAGES]
    )
    password = forms.CharField(
        label=_("Initial password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    role = _role_field(INTERACTIVE_ROLES)
    field_order = [
        "username",
        "display_name",
        "email",
        "language",
        "password",
        "role",
        "region_id",
        "location_id",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.attrs.update(autocomplete="new-password")


class UserEditForm(BohForm):
    display_name = forms.CharField(label=_("Display name"), required=False)
    email = forms.CharField(label=_("Email"), required=False, widget=forms.EmailInput)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", "—"), *settings.LANGUAGES]
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("An inactive user can no longer sign in; their history stays."),
    )


class GrantForm(ScopeForm):
    role = _role_field(INTERACTIVE_ROLES)
    field_order = ["role", "region_id", "location_id"]


class ApiKeyForm(ScopeForm):
    name = forms.CharField(label=_("Name"), help_text=_("Which system uses the key, e.g. POS."))
    role = _role_field(v for v in Role.values if v != Role.OWNER)
    field_order = ["name", "role", "region_id", "location_id"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].initial = Role.INTEGRATION


class AuditFilterForm(BohForm):
    object_type = forms.ChoiceField(label=_("Record type"), required=False)
    object_id = forms.CharField(label=_("Record id"), required=False, max_length=64)
    user = forms.IntegerField(label=_("Changed by (user id)"), required=False, min_value=1)

    def __init__(self, *args: Any, types: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("All records")), *types]  # type: ignore[attr-defined]
