"""Feed adapters: one per interface of the data center, three ways of polling.

- `PagedFeed`: paged lists with `updatedSince` (orgs, service points, cameras,
  inspections). A full pass first and every few hours; incremental passes in
  between. Pages are read one after another while the data center goes on
  changing (contract §1), so the next pass asks from the newest stamp of the
  pass's first page: anything changed behind the pages already read is stamped
  no earlier than that.
- `CursorFeed`: cursor feeds (hourly/daily statistics, alerts). The cursor is
  persisted after every stored page, so a restart resumes where it stopped; a
  `410` restarts without a cursor and the store's revision/updatedAt rules keep
  the replay from duplicating anything.
- `SnapshotFeed`: one document (dashboard summary, inspection templates) fetched
  with `If-None-Match`.

Every record is validated; a bad one goes to quarantine with its reason and the
rest of the page is stored.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from commandcenter.domain.records import Rejection
from commandcenter.feeds.client import DataCenterClient
from commandcenter.feeds.coordinator import PollResult
from commandcenter.feeds.errors import BadResponse, CursorGone
from commandcenter.feeds.fields import CODE_CHARS
from commandcenter.feeds.parsing import format_iso_time
from commandcenter.feeds.passes import PassValidator
from commandcenter.feeds.responses import ApiResponse
from commandcenter.store import Store

log = logging.getLogger(__name__)

# Items committed out of order on the server, or stamped by a clock a little
# behind, still fall inside the next incremental window.
WATERMARK_MARGIN = timedelta(seconds=5)
MAX_PAGES_PER_POLL = 1000
# FeedState.extra of a paged feed: {page query: [ETag, whether it was the last page]}
# of its last complete pass
PAGE_ETAGS = "page_etags"


class _Ahead:
    """Fetches the next page while this one is validated and stored, so that the
    data center's time and ours overlap instead of adding up."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._future: Future | None = None

    def start(self, fetch: Callable[[], Any]) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="feed-ahead")
        self._future = self._pool.submit(fetch)

    def take(self) -> Any:
        future, self._future = self._future, None
        assert future is not None
        return future.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


class _Adapter:
    def __init__(
        self, name: str, path: str, interval_s: float, client: DataCenterClient, store: Store
    ):
        self.name = name
        self.path = path
        self.interval_s = interval_s
        self.client = client
        self.store = store

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, every {self.interval_s:g} s)"

    def _quarantine(self, rejections: Sequence[Rejection]) -> None:
        if rejections:
            self.store.add_rejections(rejections)

    def _data_dict(self, data: Any, *keys: str) -> dict:
        if not isinstance(data, dict) or any(k not in data for k in keys):
            shape = type(data).__name__
            raise BadResponse(
                f"{self.path}: data is a {shape}, not the contract's object with {', '.join(keys)}"
            )
        return data


def _count_changed(changed: Any) -> int:
    if isinstance(changed, bool):
        return int(changed)
    if isinstance(changed, int):
        return changed
    return len(changed)


class PagedFeed(_Adapter):
    """A feed read page by page, changes since its watermark, all of it now and then."""

    def __init__(
        self,
        name: str,
        path: str,
        interval_s: float,
        client: DataCenterClient,
        store: Store,
        *,
        parse: Callable[[object], Any],
        key: Callable[[Any], str],
        write: Callable[[list], Any],
        mark_absent_deleted: Callable[[set[str]], Any] | None = None,
        updated_at: Callable[[Any], datetime | None] = lambda r: getattr(r, "updated_at", None),
        page_size: int = 1000,
        full_resync: timedelta = timedelta(hours=6),
        extra_params: dict[str, str] | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        super().__init__(name, path, interval_s, client, store)
        self._parse = parse
        self._key = key
        self._write = write
        self._mark_absent_deleted = mark_absent_deleted
        self._updated_at = updated_at
        self.page_size = page_size
        self.full_resync = full_resync
        self._extra_params = extra_params or {}
        self._now = now

    def poll(self) -> PollResult:
        """Read the pages since the watermark (all of them at a full resync) and store them."""
        state = self.store.load_feed_state(self.name)
        now = self._now()
        full = (
            state.watermark is None
            or state.last_full_sync is None
            or now - state.last_full_sync >= self.full_resync
        )
        validator = PassValidator(self.name, self._parse, self._key)
        params: dict[str, Any] = {"pageSize": self.page_size, **self._extra_params}
        if not full and state.watermark is not None:
            params["updatedSince"] = format_iso_time(state.watermark)
        # Conditional GETs are worth it on incremental passes: with nothing changed
        # the URLs are the same as last time and the answers are 304s. An ETag
        # validates the answer to one URL only, so each page's goes with its own
        # query, and a 304 says nothing of the pages after it: they are asked too.
        known: dict[str, list] = state.extra.get(PAGE_ETAGS, {}) if not full else {}
        answered: dict[str, list] = {}  # query -> [ETag, whether it was the last page]
        records_in = rejected = changed = 0
        seen: set[str] = set()
        first_page_newest: datetime | None = None
        unchanged_pages = read_pages = 0

        def fetch(page_no: int) -> tuple[str, ApiResponse]:
            query = _query_text({**params, "pageNo": page_no})
            etag, _last = known.get(query, (None, False))
            return query, self.client.get(self.path, {**params, "pageNo": page_no}, etag=etag)

        ahead = _Ahead()
        try:
            query, response = fetch(1)
            for page_no in range(1, MAX_PAGES_PER_POLL + 1):
                if response.not_modified:
                    if query not in known:
                        raise BadResponse(
                            f"{self.path}: 304 Not Modified to a request without ETag"
                        )
                    # the page as we read and stored it last time, its total included
                    unchanged_pages += 1
                    etag, last = known[query]
                    answered[query] = [response.etag or etag, last]
                    if last:
                        break
                    query, response = fetch(page_no + 1)
                    continue
                read_pages += 1
                data = self._data_dict(response.data, "total", "list")
                items = data["list"]
                count = len(items) if isinstance(items, list) else 0
                total = data["total"] if isinstance(data["total"], int) else None
                last = count < self.page_size or (
                    total is not None and page_no * self.page_size >= total
                )
                if response.etag:
                    answered[query] = [response.etag, last]
                if not last:
                    ahead.start(functools.partial(fetch, page_no + 1))
                records, rejections = validator.page(items)
                records_in += len(records)
                rejected += _rejected(rejections)
                if records:
                    changed += _count_changed(self._write(records))
                    seen.update(self._key(record) for record in records)
                    if page_no == 1:
                        first_page_newest = _newest(self._updated_at(r) for r in records)
                self._quarantine(rejections)
                if last:
                    break
                query, response = ahead.take()
        finally:
            ahead.close()
        not_modified = unchanged_pages > 0 and read_pages == 0
        if full and not not_modified and self._mark_absent_deleted is not None:
            # Whatever the full listing no longer has was deleted while we were
            # not looking (beyond the server's tombstone retention).
            changed += _count_changed(self._mark_absent_deleted(seen))
        state.watermark = self._next_watermark(state.watermark, full, first_page_newest)
        if full:
            state.last_full_sync = now
        state.etag = None  # the pages' ETags are in PAGE_ETAGS
        state.extra[PAGE_ETAGS] = answered
        self.store.save_feed_state(state)
        return PollResult(records_in, rejected, changed, not_modified)

    @staticmethod
    def _next_watermark(
        old: datetime | None, full: bool, first_page_newest: datetime | None
    ) -> datetime | None:
        """The newest updatedAt of the pass's first page, less a margin.

        A change the pass missed happened to an item after the page holding it was
        read, so after page 1 was read: the data center stamped it no earlier than
        anything page 1 showed. The newest stamp of a later page is no such bound:
        an item on page 1 can change after page 1 was read and before a later page
        shows another item changed later still. Stamps come from the data center's
        clock, so ours (or its Date header) never enters into it."""
        if first_page_newest is None:
            return None if full else old  # nothing new: keep the URL, so the next poll can be a 304
        candidate = first_page_newest - WATERMARK_MARGIN
        return candidate if full or old is None else max(old, candidate)


class CursorFeed(_Adapter):
    """A feed read through the data center's cursor, from where the last poll stopped."""

    def __init__(
        self,
        name: str,
        path: str,
        interval_s: float,
        client: DataCenterClient,
        store: Store,
        *,
        parse: Callable[[object], Any],
        write: Callable[[list], Any],
        extra_params: dict[str, str] | None = None,
    ):
        super().__init__(name, path, interval_s, client, store)
        self._parse = parse
        self._write = write
        self._extra_params = extra_params or {}

    def poll(self) -> PollResult:
        """Read from the saved cursor to the end and store what came."""
        state = self.store.load_feed_state(self.name)
        # The same row or alert legitimately comes again (revisions, status
        # changes): no duplicate check by key inside a pass.
        validator = PassValidator(self.name, self._parse, None)
        records_in = rejected = changed = 0
        restarted = False
        not_modified = False

        def fetch(cursor: str | None, etag: str | None) -> ApiResponse:
            nonlocal restarted
            params = dict(self._extra_params)
            if cursor:
                params["cursor"] = cursor
            try:
                return self.client.get(self.path, params, etag=etag)
            except CursorGone:
                if restarted:
                    raise
                log.info(
                    "feed %s: the data center forgot our cursor; reading from the start", self.name
                )
                restarted = True
                state.cursor = None
                state.etag = None
                return self.client.get(self.path, dict(self._extra_params))

        ahead = _Ahead()
        try:
            response = fetch(state.cursor, state.etag)
            for _ in range(MAX_PAGES_PER_POLL):
                if response.not_modified:
                    not_modified = True
                    break
                data = self._data_dict(response.data, "list", "cursor", "hasMore")
                next_cursor = data["cursor"]
                if not isinstance(next_cursor, str) or not next_cursor:
                    raise BadResponse(f"{self.path}: the next cursor is missing")
                has_more = data["hasMore"] is True
                if has_more:
                    ahead.start(functools.partial(fetch, next_cursor, None))
                records, rejections = validator.page(data["list"])
                records_in += len(records)
                rejected += _rejected(rejections)
                if records:
                    changed += _count_changed(self._write(records))
                self._quarantine(rejections)
                state.cursor = next_cursor
                state.etag = response.etag if not has_more else None
                # Stored page, then cursor: a crash in between replays the page,
                # which the store absorbs; the other order could lose it.
                self.store.save_feed_state(state)
                if not has_more:
                    break
                response = ahead.take()
        finally:
            ahead.close()
        return PollResult(records_in, rejected, changed, not_modified)


class SnapshotFeed(_Adapter):
    """A feed answered whole in one response, stored as the new state."""

    def __init__(
        self,
        name: str,
        path: str,
        interval_s: float,
        client: DataCenterClient,
        store: Store,
        *,
        parse: Callable[[object], tuple[list, list[Rejection]]],
        write: Callable[[list], Any],
    ):
        super().__init__(name, path, interval_s, client, store)
        self._parse = parse
        self._write = write

    def poll(self) -> PollResult:
        """Read the whole answer and store it."""
        state = self.store.load_feed_state(self.name)
        response = self.client.get(self.path, etag=state.etag)
        if response.not_modified:
            return PollResult(not_modified=True)
        records, rejections = self._parse(response.data)
        changed = _count_changed(self._write(records)) if records else 0
        self._quarantine(rejections)
        state.etag = response.etag
        self.store.save_feed_state(state)
        return PollResult(len(records), _rejected(rejections), changed)


class HealthFeed(_Adapter):
    """The data center's own health (`GET /health`): the connection lamp."""

    def __init__(self, interval_s: float, client: DataCenterClient, store: Store):
        super().__init__("health", "/health", interval_s, client, store)
        self.last_status: str | None = None
        self.last_version: str | None = None

    def poll(self) -> PollResult:
        """Ask the data center's health interface and keep its status and version."""
        response = self.client.health()
        data = self._data_dict(response.data, "status")
        status = _clip(str(data.get("status")))
        changed = status != self.last_status
        self.last_status = status
        self.last_version = _clip(str(data["version"])) if data.get("version") is not None else None
        if self.last_status != "ok":
            log.info("the data center reports its health as %r", self.last_status)
        return PollResult(records_in=1, changed=int(changed))


def single(
    parse: Callable[[object], Any], feed: str
) -> Callable[[object], tuple[list, list[Rejection]]]:
    """Adapt a one-record parser to SnapshotFeed: a bad document is one rejection."""

    def parse_document(raw: object) -> tuple[list, list[Rejection]]:
        return PassValidator(feed, parse, None).one(raw)

    return parse_document


def _query_text(params: dict[str, Any]) -> str:
    return "&".join(f"{name}={params[name]}" for name in sorted(params))


def _newest(stamps: Iterable[datetime | None]) -> datetime | None:
    return max((s for s in stamps if s is not None), default=None)


def _rejected(rejections: Sequence[Rejection]) -> int:
    """Records rejected (not those stored with a note)."""
    return sum(not r.stored for r in rejections)


def _clip(text: str, limit: int = CODE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def as_list(write_one: Callable[[Any], Any]) -> Callable[[Iterable[Any]], int]:
    """A writer of many records from a writer of one: the count of those it changed."""

    def write(records: Iterable[Any]) -> int:
        return sum(bool(write_one(r)) for r in records)

    return write
