"""The audit log against someone who can write the store but holds neither its key nor
the user's own files: every way of rewriting it shows, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from commandcenter.domain.audit_chain import GENESIS, entry_hash, hash_of
from commandcenter.domain.secret import Secret
from commandcenter.store import Store
from commandcenter.store.audit_seal import AuditSeal

KEY = Secret("k" * 64)


def seal(tmp_path, key: Secret | None = KEY) -> AuditSeal:
    return AuditSeal(lambda create: key, heads_folder=tmp_path / "heads")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(url, tmp_path):
    s = Store(url, audit_seal=seal(tmp_path))
    for n in range(6):
        s.append_audit(
            user="值班员甲",
            role="duty_officer",
            action="alert.acknowledge",
            target=f"AL-{n}",
            detail={"note": f"第{n}条"},
        )
    yield s
    s.close()


def entries(store) -> list:
    return sorted(store.audit_log(), key=lambda e: e.id)


def drop_guards(store) -> None:
    """What the owner of the database can do: the append-only triggers go."""
    with store.engine.begin() as conn:
        if store.dialect == "postgresql":
            conn.execute(sa.text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        else:
            conn.execute(sa.text("DROP TRIGGER audit_log_no_update"))
            conn.execute(sa.text("DROP TRIGGER audit_log_no_delete"))


def rechain(store, key: bytes | None, key_id: str | None, *, stop: int | None = None) -> None:
    """Recompute the chain (up to entry number `stop`) as a forger would: with a key of
    their own (or none), writing every hash."""
    previous = GENESIS
    with store.engine.begin() as conn:
        for e in entries(store)[:stop]:
            digest = hash_of(e, previous, key)
            conn.execute(
                sa.text(
                    "UPDATE audit_log SET prev_hash = :p, hash = :h, key_id = :k WHERE id = :id"
                ),
                {"p": previous, "h": digest, "k": key_id, "id": e.id},
            )
            previous = digest


def test_a_whole_log_verifies_under_its_key_with_its_head_and_guards(store):
    check = store.verify_audit()
    assert check.verified and not check.tampered
    assert check.chain.entries == 6 and check.chain.unkeyed == 0
    rows = entries(store)
    assert check.head.entries == 6 and check.head.last_id == rows[-1].id
    assert check.head.hash == rows[-1].hash and check.guards_missing == ()
    assert len({e.key_id for e in rows}) == 1 and rows[0].prev_hash == GENESIS
    # the table refuses changes and deletions while its triggers stand
    for statement in (
        "UPDATE audit_log SET target = 'AL-X' WHERE id = :id",
        "DELETE FROM audit_log WHERE id = :id",
    ):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(sa.text(statement), {"id": rows[2].id})


def test_missing_triggers_are_reported(store):
    drop_guards(store)
    check = store.verify_audit()
    assert check.tampered and check.chain.intact
    assert check.guards_missing == (
        ("audit_log_append_only",)
        if store.dialect == "postgresql"
        else ("audit_log_no_update", "audit_log_no_delete")
    )


def test_a_changed_entry_is_named(store):
    drop_guards(store)
    target = entries(store)[2]
    with store.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE audit_log SET detail = :d WHERE id = :id"),
            {"d": json.dumps({"note": "改过"}), "id": target.id},
        )
    check = store.verify_audit()
    assert check.chain.entry_id == target.id and "was changed" in check.chain.problem


@pytest.mark.parametrize("forger", ["own key, our key id", "own key and id", "no key"])
def test_a_changed_entry_with_the_chain_recomputed_without_the_key_shows(store, forger):
    drop_guards(store)
    target = entries(store)[2]
    with store.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE audit_log SET target = 'AL-forged' WHERE id = :id"), {"id": target.id}
        )
    ours = entries(store)[0].key_id
    if forger == "own key, our key id":
        rechain(store, b"a key of the forger's own", ours)
    elif forger == "own key and id":
        rechain(store, b"a key of the forger's own", "f0f0f0f0f0f0f0f0")
    else:
        rechain(store, None, None)
    check = store.verify_audit()
    assert check.tampered and not check.verified
    if forger == "own key, our key id":
        assert check.chain.entry_id == entries(store)[0].id and "changed" in check.chain.problem
    else:
        # entries under a key not held here, or a chain passed off as written before
        # keys: the head recorded outside the store does not match
        assert "not the entry recorded outside the store" in check.chain.problem


def test_entries_removed_from_the_end_show_against_the_head(store):
    drop_guards(store)
    last_two = [e.id for e in entries(store)[-2:]]
    with store.engine.begin() as conn:
        conn.execute(
            sa.text("DELETE FROM audit_log WHERE id IN (:a, :b)"),
            {"a": last_two[0], "b": last_two[1]},
        )
    check = store.verify_audit()
    assert check.tampered
    assert "ends after 4 entries, but 6 were recorded" in check.chain.problem


def test_an_emptied_log_shows_against_the_head(store):
    drop_guards(store)
    with store.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_log"))
    check = store.verify_audit()
    assert check.tampered and "the audit log is empty, but 6 entries" in check.chain.problem


def test_without_a_recorded_head_the_check_says_so(url, tmp_path):
    s = Store(url, audit_seal=seal(tmp_path))
    try:
        s.append_audit(user="甲", role="duty_officer", action="wall.place", target="1")
        elsewhere = Store(url, audit_seal=AuditSeal(lambda c: KEY, tmp_path / "other-heads"))
        check = elsewhere.verify_audit()
        elsewhere.close()
        assert check.chain.verified and check.head is None
        assert check.head_file.parent == tmp_path / "other-heads"
    finally:
        s.close()


def test_entries_under_a_key_not_held_here_are_counted_not_checked(store, url, tmp_path):
    other = Store(
        url, audit_seal=AuditSeal(lambda c: Secret("another desk's key"), tmp_path / "h2")
    )
    other.append_audit(user="乙", role="duty_officer", action="wall.place", target="x")
    other.close()
    check = store.verify_audit()
    assert check.chain.intact and not check.verified
    assert list(check.chain.foreign.values()) == [1]
    # with no key at all here, nothing keyed can be checked, and no key is made
    nothing = Store(url, audit_seal=AuditSeal(lambda create: None, tmp_path / "h3"))
    check = nothing.verify_audit()
    nothing.close()
    assert check.key_id is None and sum(check.chain.foreign.values()) == 7


def test_a_log_chained_before_keys_upgrades_and_stays_verifiable(url, tmp_path):
    """A store written by the version that chained without a key: its entries verify
    as the unkeyed beginning of the chain, the first keyed entry holds them, and a
    change to one of them shows."""
    from alembic import command

    from commandcenter.store.migrate import alembic_config

    engine = sa.create_engine(url)
    command.upgrade(alembic_config(engine), "0005")
    previous = GENESIS
    with engine.begin() as conn:
        for n in range(3):
            row = {
                "user": "值班员甲",
                "role": "duty_officer",
                "action": "alert.close",
                "target": f"AL-{n}",
                "detail": None,
            }
            at = datetime(2026, 11, 24, 9, n, tzinfo=UTC)
            digest = entry_hash(previous, key=None, at=at, **row)
            conn.execute(
                sa.text(
                    'INSERT INTO audit_log (at, "user", role, action, target, detail, prev_hash, hash) '
                    "VALUES (:at, :user, :role, :action, :target, NULL, :p, :h)"
                ),
                {
                    **row,
                    "at": at.replace(tzinfo=None)
                    if engine.dialect.name == "postgresql"
                    else at.replace(tzinfo=None).isoformat(" ", "microseconds"),
                    "p": previous,
                    "h": digest,
                },
            )
            previous = digest
    engine.dispose()
    s = Store(url, audit_seal=seal(tmp_path))  # upgrades to the keyed chain
    try:
        check = s.verify_audit()
        assert check.chain.intact and check.chain.unkeyed == 3 and not check.chain.unkeyed_held
        assert check.guards_missing == ()  # the upgrade kept the triggers
        s.append_audit(user="值班员甲", role="duty_officer", action="alert.close", target="AL-3")
        check = s.verify_audit()
        assert check.verified and check.chain.unkeyed == 3 and check.chain.unkeyed_held
        drop_guards(s)
        with s.engine.begin() as conn:
            conn.execute(sa.text("UPDATE audit_log SET target = 'AL-9' WHERE target = 'AL-1'"))
        rechain(s, None, None, stop=3)  # the old entries changed and recomputed, unkeyed
        check = s.verify_audit()
        assert check.tampered and "entry 4 does not follow" in check.chain.problem
        rechain(s, None, None)  # … and the keyed one after them passed off as old too
        check = s.verify_audit()
        assert check.tampered and "not the entry recorded outside" in check.chain.problem
    finally:
        s.close()
