"""服务事项 and 办事一本通 (seed task 8): /services/ lists every service by org, each service has
its guide at /services/<org>/<slug>/, and /handbook/ prints every guide on one page, grouped by
the "一件事" (life event) it belongs to.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from gxsite.content import model
from gxsite.core.page import Page

OTHER_EVENTS = "其他事项"   # the handbook group of services without a life_event


def pages(lib: model.Library, today: dt.date) -> Iterator[Page]:
    services = ordered(lib)
    yield Page("/services/", "services.html", "服务事项", {"groups": by_org(lib, services)},
               [("服务事项", "/services/")])
    for service in services:
        yield Page(service.url, "service.html", service.name, {"service": service, "anchor": anchor(service)},
                   [("服务事项", "/services/"), (service.name, service.url)])
    yield Page("/handbook/", "handbook.html", "办事一本通", {"groups": by_life_event(services)},
               [("办事一本通", "/handbook/")])


def ordered(lib: model.Library) -> list[model.Service]:
    """Services by org in orgs.yaml order, then by id."""
    rank = {org: i for i, org in enumerate(lib.orgs)}
    return sorted(lib.services.values(), key=lambda s: (rank.get(s.org, len(rank)), s.id))


def by_org(lib: model.Library, services: list[model.Service]) -> list[tuple[str, list[model.Service]]]:
    groups: dict[str, list[model.Service]] = {}
    for service in services:
        groups.setdefault(service.org, []).append(service)
    return [(lib.orgs[org].name, group) for org, group in groups.items()]


def by_life_event(services: list[model.Service]) -> list[tuple[str, str, list[tuple[model.Service, str]]]]:
    """(title, anchor, [(service, anchor)]): life events in order of first appearance, 其他事项 last."""
    groups: dict[str, list[model.Service]] = {}
    for service in services:
        groups.setdefault(service.life_event or OTHER_EVENTS, []).append(service)
    if OTHER_EVENTS in groups:
        groups[OTHER_EVENTS] = groups.pop(OTHER_EVENTS)   # move to the end
    return [(event, f"life-{n}", [(s, anchor(s)) for s in group])
            for n, (event, group) in enumerate(groups.items(), 1)]


def anchor(service: model.Service) -> str:
    """The id of a service's guide in the handbook: ASCII, and unique because ids never hold "_"."""
    return "svc-" + service.id.replace("/", "_")
