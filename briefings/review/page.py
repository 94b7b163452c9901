"""The draft's open-items page: open review items grouped by section and subsection.

What the template `templates/sections/review.md.j2` receives: plain data, roster names withheld.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .models import ReviewItem

OUTSIDE = "Outside every section"
PAGE_LIMIT = 100  # items listed in full; a larger ledger is summarised (the report has them all)


@dataclass
class PageItem:
    """One open item as the page shows it."""

    id: str
    kind: str
    author: str
    date: str
    text: str
    anchor: str  # the anchored text; for a tracked change, the change in a few words of context
    place: str
    source: str | None
    field: str | None
    untraced: str | None
    replies: list[dict[str, str]]


@dataclass
class PageGroup:
    """A section, or a subsection within one, with its open items."""

    id: str
    title: str
    items: list[PageItem] = field(default_factory=list)
    subsections: list[PageGroup] = field(default_factory=list)
    open: int = 0  # open items here, listed or not
    unlisted: int = 0  # open items here beyond the page's limit

    @property
    def listed(self) -> bool:
        """Whether any of its items, or of its subsections', is listed in full."""
        return bool(self.items) or any(sub.listed for sub in self.subsections)

    @property
    def more(self) -> int:
        """Its open items beyond the page's limit, its subsections' included."""
        return self.unlisted + sum(sub.more for sub in self.subsections)


def open_items_page(
    items: Iterable[ReviewItem],
    redact: Callable[[str], str],
    section_order: Iterable[str] = (),
    limit: int = PAGE_LIMIT,
) -> list[PageGroup]:
    """Sections in the paper's order (then first seen), each with its own items first and then
    its subsections'. The first `limit` items are listed in full; the rest are only counted (the
    page sums them up in one paragraph), so a draft of a paper with thousands of open items stays
    a draft, not a ledger."""
    order = {s: n for n, s in enumerate(section_order)}
    ordered = sorted(items, key=lambda i: order.get(i.section_id or "", len(order)))
    sections: dict[str, PageGroup] = {}
    for n, item in enumerate(ordered):
        key = item.section_id or ""
        group = sections.setdefault(key, PageGroup(key, item.section_title or key or OUTSIDE))
        group.open += 1
        if item.subsection_id:
            sub = next((g for g in group.subsections if g.id == item.subsection_id), None)
            if sub is None:
                sub = PageGroup(item.subsection_id, item.subsection_title or item.subsection_id)
                group.subsections.append(sub)
            group = sub
            group.open += 1
        if n < limit:
            group.items.append(_page_item(item, redact))
        else:
            group.unlisted += 1
    return sorted(sections.values(), key=lambda g: (g.id == "", order.get(g.id, len(order))))


def _page_item(item: ReviewItem, redact: Callable[[str], str]) -> PageItem:
    anchor = item.context or item.anchor_text if item.kind != "comment" else item.anchor_text
    return PageItem(
        id=item.id,
        kind=item.kind,
        author=redact(item.author) or "(anonymous)",
        date=item.date[:10],
        text=redact(item.text),
        anchor=redact(anchor),
        place=item.place,
        source=item.source,
        field=item.field,
        untraced=item.untraced,
        replies=[
            {"author": redact(r.author), "date": r.date[:10], "text": redact(r.text)}
            for r in item.replies
        ],
    )
