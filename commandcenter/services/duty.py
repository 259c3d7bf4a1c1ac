"""The duty log and the shift handover: an officer's entry and its correction, the
handover (what is open in the desk's scope, gathered as it is handed over), and its
acceptance or the incoming officer's objections. Each one transaction with its audit
entry and, for the handover, its line in the duty log."""

from __future__ import annotations

from datetime import UTC, date, datetime

from commandcenter.domain import bureau_time, roles
from commandcenter.domain.alert_handling import effective_status
from commandcenter.domain.duty import (
    HANDOVER_STATE_NAMES,
    DutyEntry,
    Handover,
    HandoverItem,
    HandoverState,
    ItemKind,
    Kind,
    check_text,
    shift_name,
    shift_of,
)
from commandcenter.domain.inspection import inspection_rectification
from commandcenter.domain.people import Person, Scope
from commandcenter.feeds.catalog import FEED_LABELS
from commandcenter.services.command import CommandFailed, Operator, audit, transaction
from commandcenter.store import Store
from commandcenter.store.scope import alert_in_scope

OPEN_RECTIFICATIONS = ("overdue", "due_today", "due", "undated")
OPEN_MEETINGS = ("scheduled", "live")


class DutyRefused(CommandFailed):
    """A duty-log or handover command refused for a reason the officer can act on (the
    role, an empty text, a handover answered already); nothing of it was kept."""


def _author(by: Operator, person: Person | None) -> tuple[str, str]:
    """(user name, name) written in the log: the person signed in, else the operator."""
    if person is not None:
        return person.user_name, person.name or person.user_name
    return by.name, by.name


def _check_role(by: Operator, action: str, permission: str) -> None:
    if not roles.may(by.role, permission):
        raise DutyRefused(
            action, f"the role {by.role} may not do this (duty officers and supervisors may)"
        )


def _text(action: str, text: str, what: str) -> str:
    try:
        return check_text(text, what)
    except ValueError as exc:
        raise DutyRefused(action, str(exc)) from None


class DutyCommands:
    """The duty officers' commands on the duty log and the handovers."""

    def __init__(self, store: Store, *, roster: tuple[str, datetime] | None = None):
        self.store = store
        # the roster's shift on duty (contract 4.2), when the desk knows it
        self.roster = roster

    def _shift(self, at: datetime) -> tuple[str, str]:
        return shift_of(at, self.roster)

    # -- the log ----------------------------------------------------------------------------

    def write_entry(self, by: Operator, person: Person | None, text: str, scope: Scope) -> int:
        """An officer's entry in the duty log of the desk's scope; its id."""
        _check_role(by, "duty.log", "duty.log")
        clean = _text("duty.log", text, "the entry")
        author, name = _author(by, person)
        now = datetime.now(UTC)
        with transaction(self.store, "duty.log") as work:
            entry_id = self.store.append_duty_entry(
                author=author,
                author_name=name,
                kind=Kind.ENTRY,
                text=clean,
                county=scope.county,
                at=now,
                shift=self._shift(now),
                work=work,
            )
            assert entry_id is not None  # no event key: always written
            audit(self.store, work, by, "duty.log", str(entry_id), {"text": clean})
        return entry_id

    def correct_entry(self, by: Operator, person: Person | None, entry_id: int, text: str) -> int:
        """A correction of an entry: a new entry naming it (the old one stays as it was);
        the new entry's id."""
        _check_role(by, "duty.correct", "duty.log")
        clean = _text("duty.correct", text, "the correction")
        author, name = _author(by, person)
        now = datetime.now(UTC)
        with transaction(self.store, "duty.correct") as work:
            old = self.store.duty_entry(entry_id, work=work)
            if old is None:
                raise DutyRefused("duty.correct", f"there is no duty-log entry {entry_id}")
            if not by.scope.city and old.county != by.scope.county:
                raise DutyRefused("duty.correct", f"entry {entry_id} is not this county's")
            new_id = self.store.append_duty_entry(
                author=author,
                author_name=name,
                kind=Kind.CORRECTION,
                text=clean,
                county=old.county,
                corrects=old.id,
                at=now,
                shift=self._shift(now),
                work=work,
            )
            assert new_id is not None
            audit(
                self.store,
                work,
                by,
                "duty.correct",
                str(new_id),
                {"corrects": old.id, "text": clean},
            )
        return new_id

    def record_sign_in(
        self, by: Operator, person: Person | None, scope: Scope, role_name: str = ""
    ) -> int:
        """The shift change at the desk as a line of the log (kind sign_in), written by
        the sign-in flow; not audited here, the sign-in is."""
        author, name = _author(by, person)
        now = datetime.now(UTC)
        shift_date, shift_id = self._shift(now)
        with transaction(self.store, "duty.sign_in") as work:
            entry_id = self.store.append_duty_entry(
                author=author,
                author_name=name,
                kind=Kind.SIGN_IN,
                text=f"{name}签到上岗（{shift_name(shift_id)}{'，' + role_name if role_name else ''}）",
                county=scope.county,
                at=now,
                shift=(shift_date, shift_id),
                work=work,
            )
        assert entry_id is not None
        return entry_id

    # -- the handover -----------------------------------------------------------------------

    def open_handover(
        self, by: Operator, person: Person | None, scope: Scope, notes: str
    ) -> Handover:
        """Hand the shift over: what is open in the desk's scope (gathered now), with the
        outgoing officer's notes, waiting for the incoming officer's answer."""
        _check_role(by, "duty.handover", "duty.handover")
        notes = (notes or "").strip()
        if len(notes) > 4000:
            raise DutyRefused("duty.handover", "the notes have more than 4000 characters")
        author, name = _author(by, person)
        now = datetime.now(UTC)
        shift_date, shift_id = self._shift(now)
        items = gather_open_matters(self.store, scope, bureau_time.at_bureau(now).date())
        with transaction(self.store, "duty.handover") as work:
            handover = Handover(
                None, now, shift_date, shift_id, scope.county, author, name, tuple(items), notes
            )
            handover_id = self.store.save_handover(handover, work=work)
            counts = {str(k): len(handover.items_of(k)) for k in ItemKind}
            summary = "，".join(
                f"{label}{counts[str(k)]}项"
                for k, label in (
                    (ItemKind.ALERT, "告警"),
                    (ItemKind.INSPECTION, "督查整改"),
                    (ItemKind.MEETING, "会议"),
                    (ItemKind.FEED, "数据接口"),
                )
            )
            self.store.append_duty_entry(
                author=author,
                author_name=name,
                kind=Kind.HANDOVER,
                text=f"{shift_name(shift_id)}交班（交接单 {handover_id}）：{summary}"
                + (f"。交班说明：{notes}" if notes else ""),
                county=scope.county,
                at=now,
                shift=(shift_date, shift_id),
                work=work,
            )
            audit(
                self.store,
                work,
                by,
                "duty.handover",
                str(handover_id),
                {"items": counts, "notes": notes},
            )
        return Handover(
            handover_id, now, shift_date, shift_id, scope.county, author, name, tuple(items), notes
        )

    def accept_handover(self, by: Operator, person: Person | None, handover_id: int) -> Handover:
        """The incoming officer takes the shift as handed over."""
        return self._answer(by, person, handover_id, HandoverState.ACCEPTED, "")

    def object_to_handover(
        self, by: Operator, person: Person | None, handover_id: int, objections: str
    ) -> Handover:
        """The incoming officer takes the shift with objections, in words."""
        clean = _text("duty.object", objections, "the objection")
        return self._answer(by, person, handover_id, HandoverState.OBJECTED, clean)

    def _answer(
        self,
        by: Operator,
        person: Person | None,
        handover_id: int,
        state: HandoverState,
        objections: str,
    ) -> Handover:
        action = "duty.accept" if state is HandoverState.ACCEPTED else "duty.object"
        _check_role(by, action, "duty.handover")
        author, name = _author(by, person)
        now = datetime.now(UTC)
        with transaction(self.store, action) as work:
            handover = self.store.handover(handover_id, work=work)
            if handover is None:
                raise DutyRefused(action, f"there is no handover {handover_id}")
            if handover.outgoing == author:
                raise DutyRefused(
                    action,
                    f"{name} handed this shift over: another officer must take it",
                )
            if handover.county != by.scope.county:  # a county's shift, or the city's
                raise DutyRefused(action, f"handover {handover_id} is not this desk's")
            if not self.store.answer_handover(
                handover_id,
                state=state,
                incoming=author,
                incoming_name=name,
                objections=objections,
                at=now,
                work=work,
            ):
                raise DutyRefused(
                    action,
                    f"handover {handover_id} was answered already "
                    f"({HANDOVER_STATE_NAMES.get(HandoverState(handover.state), handover.state)}"
                    f"，{handover.incoming_name or handover.incoming or '?'}): it is answered once",
                )
            words = "接班" if state is HandoverState.ACCEPTED else "接班（有异议）"
            self.store.append_duty_entry(
                author=author,
                author_name=name,
                kind=Kind.HANDOVER,
                text=f"{words}：交接单 {handover_id}，交班人 {handover.outgoing_name}"
                + (f"。异议：{objections}" if objections else ""),
                county=handover.county,
                at=now,
                shift=self._shift(now),
                work=work,
            )
            audit(
                self.store,
                work,
                by,
                action,
                str(handover_id),
                {"objections": objections} if objections else {},
            )
            answered = self.store.handover(handover_id, work=work)
        assert answered is not None
        return answered


def pending_handover(store: Store, scope: Scope) -> Handover | None:
    """The newest handover of the scope nobody has answered yet (for the incoming
    officer after a shift change), or None."""
    pending = store.pending_handovers(scope)
    return pending[0] if pending else None


def gather_open_matters(store: Store, scope: Scope, today: date) -> list[HandoverItem]:
    """What is open in the scope, by kind: alerts not closed (their state and last
    note), inspections whose rectification is due and not closed, meetings scheduled or
    running, feeds not healthy."""
    points = {p.point_id: p for p in store.service_points()}

    def covered(point_id: str | None) -> bool:
        if scope.city:
            return True
        point = points.get(point_id) if point_id else None
        return point is not None and scope.covers_org(point.org_code)

    def point_name(point_id: str | None) -> str:
        point = points.get(point_id) if point_id else None
        return point.name if point is not None else (point_id or "")

    items: list[HandoverItem] = []
    # an alert by its point, or with none by where it happened (as the alert list has it)
    alerts = [a for a in store.alerts(open_only=True) if alert_in_scope(a, points, scope)]
    handled = store.alert_handling(a.alert_id for a in alerts)
    notes = store.last_alert_notes(a.alert_id for a in alerts)
    open_alerts = []
    for a in alerts:
        h = handled.get(a.alert_id)
        if effective_status(a, h) == "closed":
            continue
        if h is not None and h.assignee:
            state = "assigned"
        elif a.status == "acked":
            state = "acknowledged"
        else:
            state = "new"
        open_alerts.append((a, state))
    open_alerts.sort(key=lambda pair: (pair[0].severity, -pair[0].occurred_at.timestamp()))
    for a, state in open_alerts:
        where = point_name(a.point_id)
        items.append(
            HandoverItem(
                ItemKind.ALERT,
                a.alert_id,
                f"{a.title}（{where}）" if where and where not in a.title else a.title,
                state,
                notes.get(a.alert_id, ""),
                None,
            )
        )
    closed = store.closed_rectifications()
    for i in store.inspections():
        due_state = inspection_rectification(i, closed, today)
        if due_state not in OPEN_RECTIFICATIONS or not covered(i.point_id):
            continue
        items.append(
            HandoverItem(
                ItemKind.INSPECTION,
                i.inspection_id,
                f"{point_name(i.point_id)} 督查整改",
                due_state or "",
                " ".join(i.findings.split())[:200],
                i.rectification_due.isoformat() if i.rectification_due else None,
            )
        )
    for m in store.meetings():
        if m.status not in OPEN_MEETINGS:
            continue
        if not scope.city and not any(
            covered(p) for p in (m.host_point_id, *(p.point_id for p in m.participants))
        ):
            continue
        items.append(
            HandoverItem(
                ItemKind.MEETING,
                m.meeting_id,
                m.title,
                m.status,
                "",
                m.start_at.isoformat() if m.start_at else None,
            )
        )
    for feed, (recent, _success) in store.feed_poll_history(FEED_LABELS, 1).items():
        if recent and not recent[0].up:
            items.append(
                HandoverItem(
                    ItemKind.FEED,
                    feed,
                    str(FEED_LABELS[feed]),
                    "down",
                    (recent[0].error or "")[:200],
                    None,
                )
            )
    return items


def entries_of_day(
    store: Store, shift_date: str, scope: Scope, *, shift_id: str | None = None
) -> list[DutyEntry]:
    """A day's entries as a desk of the scope sees them, oldest first (for a report)."""
    return list(
        reversed(
            store.duty_entries(shift_date=shift_date, shift_id=shift_id, scope=scope, limit=None)
        )
    )
