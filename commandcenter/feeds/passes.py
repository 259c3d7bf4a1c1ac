"""A feed's pass validated page by page: the valid records, and a rejection for each other
one (with what the quarantine keeps of it, bounded); a record nested deeper than
MAX_RECORD_DEPTH is refused before it is read, and one stored with a text cut short
is noted."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Generic, TypeVar

from commandcenter.domain.records import (
    InspectionTemplate,
    Rejection,
)

# Adapters and exports write wire times with the same function the parsers read them with.
from commandcenter.feeds.fields import (
    SHORTENED,
    SHORTENED_FIELDS,
    SHOWN_CHARS,
    RecordError,
    clip,
    kind_of,
)
from commandcenter.feeds.parsing import ID_FIELDS, parse_inspection_template, record_id_of

R = TypeVar("R")

# No record of the contract nests deeper than 5 (an alert's GeoJSON area); this leaves
# room for fields yet to come and refuses what only a hostile or broken server sends.
MAX_RECORD_DEPTH = 16
# What the quarantine keeps of a rejected record: each text, list and object cut to this.
_RAW_CHARS = 1000
_RAW_ITEMS = 100


def _utc_now() -> datetime:
    return datetime.now(UTC)


def nesting_deeper_than(value: object, limit: int) -> bool:
    """Whether JSON `value` nests objects and arrays more than `limit` levels deep
    (an object or array itself is one level). Recursion is bounded by `limit`."""
    children: Iterable[object]
    if type(value) is dict:
        children = value.values()
    elif type(value) is list:
        children = value
    else:
        return False
    if limit <= 0:
        return True
    for child in children:
        kind = type(child)
        if (kind is dict or kind is list) and nesting_deeper_than(child, limit - 1):
            return True
    return False


def bounded(raw: object, depth: int = 0) -> object:
    """What the quarantine keeps of a raw record: its structure and beginnings, every
    text, array and object cut to a bounded size, nothing deeper than MAX_RECORD_DEPTH."""
    if type(raw) is str:
        return raw if len(raw) <= _RAW_CHARS else raw[:_RAW_CHARS] + "…"
    if type(raw) is not dict and type(raw) is not list:
        return raw
    if depth >= MAX_RECORD_DEPTH:
        return "…"
    if type(raw) is list:
        items = [bounded(item, depth + 1) for item in raw[:_RAW_ITEMS]]
        return [*items, "…"] if len(raw) > _RAW_ITEMS else items
    assert type(raw) is dict
    kept: dict[object, object] = {}
    for index, (key, value) in enumerate(raw.items()):
        if index == _RAW_ITEMS:
            kept["…"] = "…"
            break
        kept[bounded(key, depth)] = bounded(value, depth + 1)
    return kept


class PassValidator(Generic[R]):
    """Validates the items of one full or incremental pass of a feed, page by page.

    With a key, a second item with the same key in the pass is rejected and the
    first one wins: a listing that shifts between page requests (contract §1)
    shows an item twice, and the later copy is not newer than the first.
    """

    def __init__(
        self,
        feed: str,
        parse: Callable[[object], R],
        key: Callable[[R], str] | None,
        *,
        clock: Callable[[], datetime] = _utc_now,
    ):
        self.feed = feed
        self._parse = parse
        self._key = key
        self._clock = clock
        self._id_field = ID_FIELDS.get(feed, "id")
        self._seen: set[str] = set()

    def _rejection(
        self, record_id: str | None, reason: str, raw: object, *, stored: bool = False
    ) -> Rejection:
        return Rejection(
            feed=self.feed,
            record_id=record_id,
            reason=reason,
            raw=bounded(raw),
            received_at=self._clock(),
            stored=stored,
        )

    def page(self, items: object) -> tuple[list[R], list[Rejection]]:
        """The valid records of a page, and a rejection for each other one (or a note
        for one stored with a text cut short)."""
        if type(items) is not list:
            return [], [
                self._rejection(
                    None, f"the list of items must be a JSON array, got {kind_of(items)}", items
                )
            ]
        records: list[R] = []
        rejections: list[Rejection] = []
        shortened: list[str] = []
        token = SHORTENED_FIELDS.set(shortened)
        try:
            for raw in items:
                record = self._read(raw, rejections, shortened)
                if record is None:
                    continue
                if self._key is not None:
                    key = self._key(record)
                    if key in self._seen:
                        rejections.append(
                            self._rejection(
                                key,
                                f"duplicate {self._id_field} {clip(key, SHOWN_CHARS)} in the same pass",
                                raw,
                            )
                        )
                        continue
                    self._seen.add(key)
                records.append(record)
        finally:
            SHORTENED_FIELDS.reset(token)
        return records, rejections

    def one(self, raw: object) -> tuple[list[R], list[Rejection]]:
        """A document that is one record (the dashboard summary): as `page` does a list."""
        rejections: list[Rejection] = []
        shortened: list[str] = []
        token = SHORTENED_FIELDS.set(shortened)
        try:
            record = self._read(raw, rejections, shortened)
        finally:
            SHORTENED_FIELDS.reset(token)
        return ([] if record is None else [record]), rejections

    def _read(self, raw: object, rejections: list[Rejection], shortened: list[str]) -> R | None:
        if nesting_deeper_than(raw, MAX_RECORD_DEPTH):
            rejections.append(
                self._rejection(
                    record_id_of(self.feed, raw),
                    f"nested more than {MAX_RECORD_DEPTH} levels deep; "
                    "no record of the contract nests deeper than 5",
                    raw,
                )
            )
            return None
        try:
            record = self._parse(raw)
        except RecordError as exc:
            shortened.clear()
            rejections.append(
                self._rejection(exc.record_id or record_id_of(self.feed, raw), exc.reason, raw)
            )
            return None
        if shortened:
            rejections.append(
                self._rejection(
                    record_id_of(self.feed, raw),
                    SHORTENED + "; ".join(shortened),
                    raw,
                    stored=True,
                )
            )
            shortened.clear()
        return record


def parse_inspection_templates(raw: object) -> tuple[list[InspectionTemplate], list[Rejection]]:
    """`GET /inspection-templates` (§3.10): every valid template, and a rejection for each other one."""
    validator = PassValidator(
        "inspection_templates", parse_inspection_template, lambda t: t.template_id
    )
    return validator.page(raw)
