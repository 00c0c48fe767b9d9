"""What the `boh` commands share: turning a service's refusal into a clear command error.

The leading underscore keeps Django from listing this module as a command.
"""

from __future__ import annotations

from django.core.management.base import CommandError

from boh.core.errors import BohError


def option_name(field: str, options: set[str]) -> str:
    """A service's field as the command's option (`time_zone` -> `--time-zone`) when it has one."""
    return f"--{field.replace('_', '-')}" if field in options else field


def command_error(exc: BohError, options: set[str] | None = None) -> CommandError:
    """One line per field at fault, or the message alone; the command exits with status 1."""
    known = options or set()
    if not exc.fields:
        return CommandError(f"{exc.message} [{exc.code}]")
    lines = [f"{option_name(f.field, known)}: {f.message} [{f.code}]" for f in exc.fields]
    return CommandError("\n".join(lines))
