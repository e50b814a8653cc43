"""重大决策预公开: the state of a comment window on a given day, and open consultations first."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gxsite.content import model

NOT_STARTED, OPEN, CLOSED = "未开始", "征求意见中", "已结束"


@dataclass(frozen=True)
class Window:
    state: str            # NOT_STARTED | OPEN | CLOSED
    days_left: int = 0    # calendar days until `closes`, counting the closing day itself

    @property
    def label(self) -> str:
        if self.state == OPEN:
            return f"{OPEN}（还剩 {self.days_left} 天）"
        return self.state


def window(item: model.Item, today: dt.date) -> Window | None:
    if item.type != "decision" or item.comment is None:
        return None
    opens, closes = item.comment.opens, item.comment.closes
    if today < opens:
        return Window(NOT_STARTED)
    if today <= closes:
        return Window(OPEN, (closes - today).days + 1)
    return Window(CLOSED)


def open_first(items: list[model.Item], today: dt.date) -> list[model.Item]:
    """Consultations open today come first (soonest closing first); the rest keep their order."""
    open_now = [i for i in items if (w := window(i, today)) is not None and w.state == OPEN]
    if not open_now:
        return items
    open_now.sort(key=lambda i: (i.comment.closes, i.id))
    chosen = {i.id for i in open_now}
    return open_now + [i for i in items if i.id not in chosen]
