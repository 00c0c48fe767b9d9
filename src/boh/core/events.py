"""Domain events: a module announces a fact; higher modules subscribe explicitly.

Handlers run after the announcing transaction commits, so a rolled-back write
announces nothing. Subscriptions are made in each module's AppConfig.ready().
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

Handler = Callable[[str, dict[str, Any]], None]
_handlers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(name: str, handler: Handler) -> None:
    if handler not in _handlers[name]:
        _handlers[name].append(handler)


def handlers_for(name: str) -> list[Handler]:
    return list(_handlers.get(name, ()))


def dispatch(name: str, payload: dict[str, Any]) -> None:
    for handler in handlers_for(name):
        try:
            handler(name, payload)
        except Exception:
            logger.exception("event handler %s failed for %s", handler.__qualname__, name)
