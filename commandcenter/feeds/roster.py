"""The duty roster's feed (`GET /duty-roster`, contract 4.2): yesterday's and today's
rosters of every organisation, each stored as the data center sent it (a shift removed
upstream disappears here too).

A v1 data center has no roster: it answers 404 (0x02404001). The feed then records
that the interface is not offered, which is no failure (the health lamp stays as it
is and nothing is logged as failing), and asks again only every `recheck` (30 min)
or as soon as the data center's version (`GET /health`) changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial

from commandcenter.domain.roster import (
    DATACENTER,
    LONGEST_SHIFT,
    RosterPerson,
    Shift,
    roster_dates,
)
from commandcenter.feeds.adapters import _Adapter, _rejected
from commandcenter.feeds.client import DataCenterClient
from commandcenter.feeds.coordinator import PollResult
from commandcenter.feeds.errors import ApiError, BadResponse
from commandcenter.feeds.fields import (
    RecordError,
    as_object,
    clip,
    ident,
    kind_of,
    list_field,
    optional_text,
    show,
    text_field,
    time_field,
)
from commandcenter.feeds.passes import PassValidator
from commandcenter.store import Store

log = logging.getLogger(__name__)

FEED = "duty_roster"
PATH = "/duty-roster"
RECHECK = timedelta(minutes=30)
# FeedState.extra of the roster feed: the ETag of each date's answer
DATE_ETAGS = "date_etags"


def _person(raw: object, where: str) -> RosterPerson:
    try:
        person = as_object(raw, where)
        return RosterPerson(
            ident(person, "personId"),
            text_field(person, "name"),
            optional_text(person, "phone") or "",
        )
    except RecordError as exc:
        if exc.reason.startswith(where):
            raise
        raise RecordError(f"{where}: {exc.reason}") from None


def parse_shift(raw: object, roster_date: date) -> Shift:
    """One shift of `GET /duty-roster?date=…`: ids and times checked, the leader and
    every officer with a personId and a name. The shift is kept under the roster's
    date, which names the day it starts (contract 4.2)."""
    try:
        shift = as_object(raw, "a shift")
        shift_id = ident(shift, "shiftId")
        start = time_field(shift, "start")
        end = time_field(shift, "end")
        if end <= start:
            raise RecordError(f"end {shift['end']!r} is not after start {shift['start']!r}")
        if end - start > LONGEST_SHIFT:
            raise RecordError(
                f"the shift runs {(end - start).total_seconds() / 3600:g} h, "
                f"longer than {LONGEST_SHIFT.total_seconds() / 3600:g} h"
            )
        leader_raw = shift.get("leader")
        leader = None if leader_raw is None else _person(leader_raw, "leader")
        officers = tuple(
            _person(item, f"officers[{index}]")
            for index, item in enumerate(list_field(shift, "officers"))
        )
        return Shift(
            shift_id=shift_id,
            org_code=ident(shift, "orgCode"),
            date=roster_date,
            start=start,
            end=end,
            leader=leader,
            officers=officers,
            source=DATACENTER,
        )
    except RecordError as exc:
        if exc.record_id is None and type(raw) is dict:
            value = raw.get("shiftId")
            exc.record_id = clip(value) if type(value) is str else None
        raise


class DutyRosterFeed(_Adapter):
    """Polls yesterday's and today's rosters (bureau dates): the night shift on duty in
    the small hours is yesterday's."""

    def __init__(
        self,
        interval_s: float,
        client: DataCenterClient,
        store: Store,
        *,
        server_version: Callable[[], str | None] = lambda: None,
        recheck: timedelta = RECHECK,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        super().__init__(FEED, PATH, interval_s, client, store)
        self._server_version = server_version
        self.recheck = recheck
        self._now = now

    def poll(self) -> PollResult:
        """Read the two rosters and store them, or record that there is no roster."""
        now = self._now()
        version = self._server_version()
        offered = self.store.feature_offered(self.name)
        if offered is False and not self._time_to_ask_again(now, version):
            return PollResult(not_modified=True)
        state = self.store.load_feed_state(self.name)
        etags: dict[str, str] = state.extra.get(DATE_ETAGS, {}) if offered else {}
        answered: dict[str, str] = {}
        records_in = rejected = changed = 0
        unchanged = 0
        for day in roster_dates(now):
            key = day.isoformat()
            try:
                response = self.client.get(self.path, {"date": key}, etag=etags.get(key))
            except ApiError as exc:
                if exc.status != 404:
                    raise
                if offered is not False:
                    log.info(
                        "the data center at %s offers no duty roster (%s): "
                        "asking again every %.0f min",
                        self.client.base_url,
                        exc.code or "HTTP 404",
                        self.recheck.total_seconds() / 60,
                    )
                told = self.store.set_feature_offered(
                    self.name, False, checked_at=now, server_version=version
                )
                return PollResult(changed=int(told))
            if response.not_modified:
                if key not in etags:
                    raise BadResponse(f"{self.path}: 304 Not Modified to a request without ETag")
                unchanged += 1
                answered[key] = etags[key]
                continue
            data = self._data_dict(response.data, "shifts")
            # a roster that is not a list, or another day's, must not replace this day's
            if type(data["shifts"]) is not list:
                raise BadResponse(f"{self.path}: shifts is a {kind_of(data['shifts'])}, not a list")
            if data.get("date") is not None and data["date"] != key:
                raise BadResponse(
                    f"{self.path}: asked for the roster of {key}, answered {show(data['date'])}"
                )
            validator = PassValidator(
                self.name, partial(parse_shift, roster_date=day), lambda s: s.shift_id
            )
            shifts, rejections = validator.page(data["shifts"])
            records_in += len(shifts)
            rejected += _rejected(rejections)
            # a shift broken this time keeps what was stored of it: the leader on duty
            # must not vanish from the desk for a typo upstream
            keep = {r.record_id for r in rejections if not r.stored and r.record_id}
            changed += self.store.replace_datacenter_shifts(day, shifts, keep=keep)
            self._quarantine(rejections)
            if response.etag:
                answered[key] = response.etag
        state.extra[DATE_ETAGS] = answered
        self.store.save_feed_state(state)
        if offered is not True:
            if offered is False:
                log.info("the data center at %s now offers the duty roster", self.client.base_url)
            changed += int(
                self.store.set_feature_offered(
                    self.name, True, checked_at=now, server_version=version
                )
            )
        return PollResult(records_in, rejected, changed, not_modified=unchanged == 2)

    def _time_to_ask_again(self, now: datetime, version: str | None) -> bool:
        checked = self.store.feature_checked(self.name)
        if checked is None or now - checked.at >= self.recheck:
            return True
        # a version unknown at either end (the health feed had not answered yet) is no change
        known = version is not None and checked.server_version is not None
        return known and version != checked.server_version
