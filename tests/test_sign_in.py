"""Signing in: password hashes, the local accounts (SQLite and PostgreSQL), the lock-out,
the `users` command, and the bureau's directory on a real OpenLDAP server (slapd on
loopback, over ldaps:// and StartTLS with a CA of the run's own)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest

from commandcenter.config import Config, ConfigError, load_config
from commandcenter.domain.passwords import (
    WeakPassword,
    hash_password,
    verify_password,
)
from commandcenter.domain.people import SignInRefused
from commandcenter.services.sign_in import SignIn
from commandcenter.store import Store
from commandcenter.store.accounts import AccountExists, NoSuchAccount
from commandcenter.store.rows import utc_now
from tests.ldap_server import GROUPS, SLAPD, USER_DN, LdapServer

WRONG = "wrong user name or password"
ROLES_OF_GROUPS = {
    "cc-duty-officers": "duty_officer",
    "cc-supervisors": "supervisor",
    "cc-conference": "conference_operator",
}
needs_slapd = pytest.mark.skipif(
    not SLAPD.exists(), reason="needs OpenLDAP's slapd (Debian packages slapd, ldap-utils)"
)

# -- password hashes -----------------------------------------------------------------


def test_a_password_is_kept_as_a_salted_scrypt_hash():
    stored = hash_password("correct horse")
    scheme, n, r, p, _salt, _digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert "correct horse" not in stored
    assert verify_password("correct horse", stored)
    assert not verify_password("correct hors", stored)
    assert not verify_password("", stored)
    # salted: the same password, another hash
    assert hash_password("correct horse") != stored
    # stronger parameters are read from the hash itself
    assert verify_password("correct horse", hash_password("correct horse", n=2**15))


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "plain",
        "scrypt$16384$8$1$!!$AAAA",
        "scrypt$3$8$1$AAAA$AAAA",
        "bcrypt$1$2$3$4$5",
        "scrypt$1048576$64$64$AAAA$AAAA",
    ],
)
def test_a_damaged_hash_verifies_nothing(stored):
    assert not verify_password("correct horse", stored)


@pytest.mark.parametrize(
    ("password", "problem"),
    [("", "the password is empty"), ("short7!", "shorter than 8 characters")],
)
def test_weak_passwords_are_refused(password, problem):
    with pytest.raises(WeakPassword, match=problem):
        hash_password(password)


# -- local accounts, on SQLite and PostgreSQL ----------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request, tmp_path):
    url = (
        f"sqlite:///{tmp_path / 'store.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    store = Store(url)
    yield store
    store.close()


def add_wangmin(store: Store, password: str = "Wm-local-2026", **more) -> None:
    store.add_local_account(
        "wangmin",
        name="王敏",
        roles=("duty_officer", "supervisor"),
        county="320506",
        person_id="P-1001",
        password_hash=hash_password(password),
        **more,
    )


def test_local_accounts_are_kept_changed_and_listed(any_store):
    store = any_store
    assert not store.has_local_accounts() and store.local_account("wangmin") is None
    add_wangmin(store)
    with pytest.raises(AccountExists, match="wangmin"):
        add_wangmin(store)
    store.add_local_account(
        "lina", name="李娜", roles=("conference_operator",), password_hash=hash_password("x" * 8)
    )
    assert [a.user_name for a in store.local_accounts()] == ["lina", "wangmin"]
    account = store.local_account("wangmin")
    assert account is not None
    assert (account.name, account.roles, account.county, account.person_id) == (
        "王敏",
        ("duty_officer", "supervisor"),
        "320506",
        "P-1001",
    )
    assert not account.disabled and account.failed_attempts == 0 and account.locked_until is None

    store.set_local_password("wangmin", hash_password("New-pass-2026"))
    assert verify_password("New-pass-2026", store.local_account("wangmin").password_hash)
    store.set_local_account_disabled("wangmin", True)
    assert store.local_account("wangmin").disabled
    store.set_local_account_disabled("wangmin", False)
    assert not store.local_account("wangmin").disabled

    now = utc_now()
    counts = [
        store.record_failed_sign_in("wangmin", max_failed=3, lock_for=timedelta(minutes=15), at=now)
        for _ in range(3)
    ]
    assert [c.failures for c in counts] == [1, 2, 3]
    assert counts[1].locked_until is None
    assert counts[2].locked_until == now + timedelta(minutes=15)
    locked = store.local_account("wangmin")
    assert locked.locked(now) and not locked.locked(now + timedelta(minutes=16))
    # once the lock-out has run out, the count starts again
    later = store.record_failed_sign_in(
        "wangmin", max_failed=3, lock_for=timedelta(minutes=15), at=now + timedelta(minutes=16)
    )
    assert (later.failures, later.locked_until) == (1, None)
    store.unlock_local_account("wangmin")
    assert store.local_account("wangmin").failed_attempts == 0
    store.record_failed_sign_in("wangmin", max_failed=3, lock_for=timedelta(minutes=1))
    store.record_sign_in_success("wangmin")
    assert store.local_account("wangmin").failed_attempts == 0

    for change in (
        lambda: store.set_local_password("nobody", "x"),
        lambda: store.set_local_account_disabled("nobody", True),
        lambda: store.unlock_local_account("nobody"),
        lambda: store.record_failed_sign_in("nobody", max_failed=3, lock_for=timedelta(1)),
    ):
        with pytest.raises(NoSuchAccount, match="nobody"):
            change()


class Clock:
    def __init__(self):
        self.now = utc_now()

    def __call__(self):
        return self.now


def entries(store: Store, action: str):
    return [e for e in reversed(store.audit_log()) if e.action == action]


def assert_password_nowhere(store: Store, password: str, caplog=None) -> None:
    for entry in store.audit_log(limit=10_000):
        text = json.dumps([entry.user, entry.role, entry.target, entry.detail], ensure_ascii=False)
        assert password not in text, entry
    if caplog is not None:
        assert password not in caplog.text


def test_nobody_signs_in_where_there_is_no_account_and_no_directory(store):
    sign_in = SignIn(Config(), store)
    assert not sign_in.directory_configured
    assert not sign_in.needs_sign_in()
    add_wangmin(store)
    assert sign_in.needs_sign_in()


def test_a_local_account_signs_in_and_is_locked_out_after_five_failures(any_store, caplog):
    caplog.set_level(logging.DEBUG)
    store = any_store
    add_wangmin(store)
    clock = Clock()
    sign_in = SignIn(Config(), store, clock=clock)

    person = sign_in.sign_in(" wangmin ", "Wm-local-2026")
    assert (person.user_name, person.name, person.roles, person.county, person.person_id) == (
        "wangmin",
        "王敏",
        ("duty_officer", "supervisor"),
        "320506",
        "P-1001",
    )
    assert person.source == "local" and person.scope.covers_county("320506")
    assert not person.scope.covers_county("320505")
    [signed_in] = entries(store, "person.sign_in")
    assert (signed_in.user, signed_in.role, signed_in.target) == (
        "wangmin",
        "duty_officer",
        "wangmin",
    )

    # an unknown user name is refused in the same words as a wrong password
    with pytest.raises(SignInRefused) as unknown:
        sign_in.sign_in("nobody", "Wm-local-2026")
    assert unknown.value.reason == WRONG and not unknown.value.locked
    for attempt in range(1, 5):
        with pytest.raises(SignInRefused) as wrong:
            sign_in.sign_in("wangmin", f"wrong-guess-{attempt}")
        assert wrong.value.reason == WRONG and not wrong.value.locked
    with pytest.raises(SignInRefused) as fifth:
        sign_in.sign_in("wangmin", "wrong-guess-5")
    until = (clock.now + timedelta(minutes=15)).astimezone(
        __import__("zoneinfo").ZoneInfo("Asia/Shanghai")
    )
    assert fifth.value.locked
    assert fifth.value.reason == (f"account locked until {until:%H:%M} after 5 failed attempts")
    # locked: even the right password is refused, and the failure is not counted again
    with pytest.raises(SignInRefused, match="account locked until") as still:
        sign_in.sign_in("wangmin", "Wm-local-2026")
    assert still.value.locked
    failed = entries(store, "person.sign_in_failed")
    assert [e.detail["reason"] for e in failed] == ["unknown user name"] + [
        "wrong password"
    ] * 5 + ["locked out"]
    assert [e.detail.get("failures") for e in failed[1:6]] == [1, 2, 3, 4, 5]
    assert all(e.user == e.target for e in failed) and {e.role for e in failed} == {""}
    [locked] = entries(store, "person.locked_out")
    assert locked.target == "wangmin" and locked.detail["failures"] == 5

    # the lock-out runs out...
    clock.now += timedelta(minutes=15, seconds=1)
    assert sign_in.sign_in("wangmin", "Wm-local-2026").user_name == "wangmin"
    assert store.local_account("wangmin").failed_attempts == 0
    # ... or an administrator lifts it
    for attempt in range(5):
        with pytest.raises(SignInRefused):
            sign_in.sign_in("wangmin", f"again-wrong-{attempt}")
    store.unlock_local_account("wangmin")
    assert sign_in.sign_in("wangmin", "Wm-local-2026").name == "王敏"

    assert_password_nowhere(store, "Wm-local-2026", caplog)
    assert_password_nowhere(store, "wrong-guess-", caplog)


def test_a_disabled_account_is_refused_only_to_whoever_knows_its_password(store):
    add_wangmin(store)
    store.set_local_account_disabled("wangmin", True)
    sign_in = SignIn(Config(), store)
    with pytest.raises(SignInRefused, match=f"^{WRONG}$"):
        sign_in.sign_in("wangmin", "a-wrong-password")
    with pytest.raises(SignInRefused, match=r"^account disabled$"):
        sign_in.sign_in("wangmin", "Wm-local-2026")
    store.set_local_account_disabled("wangmin", False)
    assert sign_in.sign_in("wangmin", "Wm-local-2026").user_name == "wangmin"


def test_the_lock_out_follows_the_configuration(store):
    add_wangmin(store)
    sign_in = SignIn(Config(accounts_max_failed=2, accounts_lock_minutes=1), store)
    with pytest.raises(SignInRefused, match=WRONG):
        sign_in.sign_in("wangmin", "wrong-one")
    with pytest.raises(SignInRefused, match="after 2 failed attempts") as locked:
        sign_in.sign_in("wangmin", "wrong-two")
    until = store.local_account("wangmin").locked_until
    assert timedelta(seconds=55) < until - utc_now() <= timedelta(minutes=1)
    assert locked.value.locked


def test_an_empty_password_is_refused_in_words(store):
    add_wangmin(store)
    with pytest.raises(SignInRefused, match="no password given"):
        SignIn(Config(), store).sign_in("wangmin", "")
    assert store.local_account("wangmin").failed_attempts == 0


def test_accounts_settings_are_checked_in_the_file(tmp_path):
    file = tmp_path / "config.toml"
    file.write_text("[accounts]\nmax_failed = 3\nlock_minutes = 30\n")
    config = load_config(file)
    assert (config.accounts_max_failed, config.accounts_lock_minutes) == (3, 30.0)
    file.write_text("[accounts]\nmax_failed = 0\n")
    with pytest.raises(ConfigError, match=r"\[accounts\] max_failed must be"):
        load_config(file)


# -- the users command ---------------------------------------------------------------


def users(*args: str, db: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "commandcenter", "users", *args, "--db", db],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )


@pytest.fixture
def users_here(monkeypatch, capsys):
    """`commandcenter users …` in this process (each start of a new one takes a second)."""
    import io

    from commandcenter.cli import main

    def run(*args: str, db: str, stdin: str = "") -> subprocess.CompletedProcess:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["users", *args, "--db", db])
        out, err = capsys.readouterr()
        run.printed.append(out + err)  # type: ignore[attr-defined]
        return subprocess.CompletedProcess(args, code, out, err)

    run.printed = []  # type: ignore[attr-defined]
    return run


def test_the_users_command_manages_local_accounts(tmp_path, users_here):
    db = f"sqlite:///{tmp_path / 'store.db'}"
    secret = "Zh-secret-7f3a"
    # one run end to end, as an administrator's script would
    added = users(
        "add",
        "zhanghua",
        "--name",
        "张华",
        "--role",
        "duty_officer",
        "--role",
        "supervisor",
        "--county",
        "320506",
        "--person-id",
        "P-2001",
        "--password-stdin",
        db=db,
        stdin=secret + "\n",
    )
    assert added.returncode == 0, added.stderr
    assert "zhanghua: added" in added.stdout
    again = users_here(
        "add",
        "zhanghua",
        "--name",
        "张华",
        "--role",
        "supervisor",
        "--password-stdin",
        db=db,
        stdin=secret + "\n",
    )
    assert again.returncode == 1 and "already exists" in again.stderr
    weak = users_here("passwd", "zhanghua", "--password-stdin", db=db, stdin="short\n")
    assert weak.returncode == 1 and "shorter than 8 characters" in weak.stderr
    no_terminal = users_here("passwd", "zhanghua", db=db, stdin="")
    assert no_terminal.returncode == 1 and "--password-stdin" in no_terminal.stderr
    county = users_here(
        "add",
        "x1",
        "--name",
        "X",
        "--role",
        "supervisor",
        "--county",
        "999999",
        "--password-stdin",
        db=db,
        stdin=secret + "\n",
    )
    assert county.returncode == 1 and "not a county" in county.stderr
    missing = users_here("disable", "nobody", db=db)
    assert missing.returncode == 1 and "no local account 'nobody'" in missing.stderr

    listed = json.loads(users_here("list", "--json", db=db).stdout)
    assert listed == [
        {
            "user": "zhanghua",
            "name": "张华",
            "roles": ["duty_officer", "supervisor"],
            "county": "320506",
            "person_id": "P-2001",
            "disabled": False,
            "failed_attempts": 0,
            "locked_until": None,
            "state": "active",
        }
    ]

    store = Store(db)
    try:
        assert SignIn(Config(), store).sign_in("zhanghua", secret).person_id == "P-2001"
        assert users_here("disable", "zhanghua", db=db).returncode == 0
        with pytest.raises(SignInRefused, match="account disabled"):
            SignIn(Config(), store).sign_in("zhanghua", secret)
        table = users_here("list", db=db).stdout
        assert "zhanghua" in table and "disabled" in table and "张华" in table
        assert users_here("enable", "zhanghua", db=db).returncode == 0
        for attempt in range(5):
            with pytest.raises(SignInRefused):
                SignIn(Config(), store).sign_in("zhanghua", f"not-it-{attempt}")
        assert "locked until" in users_here("list", db=db).stdout
        assert users_here("unlock", "zhanghua", db=db).returncode == 0
        newer = "Zh-newer-91c2"
        changed = users_here("passwd", "zhanghua", "--password-stdin", db=db, stdin=newer + "\n")
        assert changed.returncode == 0, changed.stderr
        with pytest.raises(SignInRefused, match=WRONG):
            SignIn(Config(), store).sign_in("zhanghua", secret)
        assert SignIn(Config(), store).sign_in("zhanghua", newer).name == "张华"

        audited = [e.action for e in reversed(store.audit_log()) if e.action.startswith("account.")]
        assert audited == [
            "account.add",
            "account.disable",
            "account.enable",
            "account.unlock",
            "account.passwd",
        ]
        [add] = entries(store, "account.add")
        assert add.target == "zhanghua" and add.detail["roles"] == ["duty_officer", "supervisor"]
        for password in (secret, newer):
            assert_password_nowhere(store, password)
    finally:
        store.close()
    printed = "".join(users_here.printed) + added.stdout + added.stderr
    assert secret not in printed and newer not in printed
    logs = Path(os.environ["COMMANDCENTER_LOG_DIR"])
    for file in logs.rglob("*"):
        if file.is_file():
            text = file.read_text(errors="replace")
            assert secret not in text and newer not in text, file


def test_the_users_command_works_on_postgresql(pg_url):
    added = users(
        "add",
        "lina",
        "--name",
        "李娜",
        "--role",
        "conference_operator",
        "--password-stdin",
        db=pg_url,
        stdin="Ln-local-2026\n",
    )
    assert added.returncode == 0, added.stderr
    store = Store(pg_url)
    try:
        person = SignIn(Config(), store).sign_in("lina", "Ln-local-2026")
        assert person.roles == ("conference_operator",) and person.county is None
    finally:
        store.close()


# -- the directory: a real slapd on loopback -----------------------------------------


@pytest.fixture(scope="session")
def ldap():
    """The session's own OpenLDAP server, stopped at the end."""
    import shutil

    root = Path(tempfile.mkdtemp(prefix="commandcenter-ldap-"))
    server = LdapServer(root / "slapd")
    try:
        yield server.start()
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def directory(ldap: LdapServer, **settings) -> Config:
    values = dict(
        directory_url=ldap.ldaps_url,
        directory_ca_bundle=ldap.certificates.ca,
        directory_user_dn=USER_DN,
        directory_roles=ROLES_OF_GROUPS,
        directory_timeout_s=5.0,
    )
    values.update(settings)
    return Config(**values)


@needs_slapd
def test_a_person_of_the_directory_signs_in_with_their_roles_and_county(ldap, store, caplog):
    caplog.set_level(logging.DEBUG)
    sign_in = SignIn(directory(ldap), store)
    assert sign_in.directory_configured and sign_in.needs_sign_in()
    person = sign_in.sign_in("wangmin", "Wm-pass-2026")
    assert (person.user_name, person.name, person.roles, person.county, person.person_id) == (
        "wangmin",
        "王敏",
        ("duty_officer", "supervisor"),
        "320506",
        "P-1001",
    )
    assert person.source == "ldap"
    assert person.scope.covers_county("320506") and not person.scope.covers_county("320505")
    [entry] = entries(store, "person.sign_in")
    assert (entry.user, entry.role, entry.detail["source"]) == ("wangmin", "duty_officer", "ldap")

    # the city's own code: the whole city
    lina = sign_in.sign_in("lina", "Ln-pass-2026")
    assert lina.roles == ("conference_operator",) and lina.scope.city
    # no county at all: refused, never the whole city by omission
    with pytest.raises(SignInRefused) as refused:
        sign_in.sign_in("zhouyan", "Zy-pass-2026")
    assert "departmentNumber" in refused.value.reason and "320500" in refused.value.reason
    assert_password_nowhere(store, "Wm-pass-2026", caplog)


@needs_slapd
@pytest.mark.parametrize("groups_from", ["memberOf", "group_base"])
def test_groups_map_to_roles(ldap, store, groups_from):
    settings = {"directory_group_base": GROUPS} if groups_from == "group_base" else {}
    sign_in = SignIn(directory(ldap, **settings), store)
    assert sign_in.sign_in("wangmin", "Wm-pass-2026").roles == ("duty_officer", "supervisor")
    assert sign_in.sign_in("sunli", "Sl-pass-2026").roles == ("supervisor",)
    with pytest.raises(SignInRefused, match=r"^no command-center role for this account$"):
        sign_in.sign_in("zhaolei", "Zl-pass-2026")
    # groups map by name, whatever their case in the configuration
    upper = SignIn(directory(ldap, directory_roles={"CC-Conference": "supervisor"}), store)
    assert upper.sign_in("lina", "Ln-pass-2026").roles == ("supervisor",)


@needs_slapd
def test_wrong_password_and_unknown_user_are_refused_alike(ldap, store):
    sign_in = SignIn(directory(ldap), store)
    refusals = []
    for user, password in [
        ("wangmin", "Wm-pass-2025"),
        ("nobody", "Wm-pass-2026"),
        ("wangmin,ou=people", "Wm-pass-2026"),
        ("*", "Wm-pass-2026"),
        ("wangmin)(uid=*", "Wm-pass-2026"),
    ]:
        with pytest.raises(SignInRefused) as refused:
            sign_in.sign_in(user, password)
        refusals.append(refused.value.reason)
    assert refusals == [WRONG] * 5
    assert len(entries(store, "person.sign_in_failed")) == 5
    # no lock-out of the directory's people here: the directory keeps its own policy
    assert sign_in.sign_in("wangmin", "Wm-pass-2026").user_name == "wangmin"


@needs_slapd
def test_an_empty_password_never_reaches_the_directory(ldap, store):
    from tests.ldap_server import free_port

    # nothing listens there: a bind would have said the directory cannot be reached
    nowhere = directory(ldap, directory_url=f"ldaps://127.0.0.1:{free_port()}")
    with pytest.raises(SignInRefused, match=r"^no password given$"):
        SignIn(nowhere, store).sign_in("wangmin", "")
    with pytest.raises(SignInRefused, match=r"^no password given$"):
        SignIn(directory(ldap), store).sign_in("wangmin", "")


@needs_slapd
def test_the_name_falls_back_to_display_name(ldap, store):
    person = SignIn(directory(ldap, directory_name_attribute="givenName"), store).sign_in(
        "wangmin", "Wm-pass-2026"
    )
    assert person.name == "王敏 (值班)"


@needs_slapd
def test_a_county_the_city_does_not_have_is_refused_naming_the_attribute(ldap, store):
    with pytest.raises(SignInRefused) as refused:
        SignIn(directory(ldap), store).sign_in("qianfeng", "Qf-pass-2026")
    assert "departmentNumber" in refused.value.reason and "999999" in refused.value.reason
    assert "not a county of the city" in refused.value.reason


@needs_slapd
def test_tls_is_checked_against_the_configured_ca(ldap, store):
    # ldaps:// and StartTLS with the right CA
    assert SignIn(directory(ldap), store).sign_in("sunli", "Sl-pass-2026").source == "ldap"
    start_tls = directory(ldap, directory_url=ldap.ldap_url)
    assert SignIn(start_tls, store).sign_in("sunli", "Sl-pass-2026").county == "320507"
    # a certificate the CA did not sign, either way
    for url in (ldap.ldaps_url, ldap.ldap_url):
        wrong_ca = directory(
            ldap, directory_url=url, directory_ca_bundle=ldap.certificates.other_ca
        )
        with pytest.raises(SignInRefused) as refused:
            SignIn(wrong_ca, store).sign_in("sunli", "Sl-pass-2026")
        assert refused.value.reason.startswith("the directory cannot be reached: ")
        assert "certificate is not trusted" in refused.value.reason
        assert "ca_bundle" in refused.value.reason
    # the system's CAs do not know the run's own either
    system = directory(ldap, directory_ca_bundle=None)
    with pytest.raises(SignInRefused, match="certificate is not trusted"):
        SignIn(system, store).sign_in("sunli", "Sl-pass-2026")


@needs_slapd
def test_plain_ldap_only_to_loopback_and_only_when_allowed(ldap, store, tmp_path):
    plain = directory(
        ldap, directory_url=ldap.ldap_url, directory_start_tls=False, directory_allow_plain=True
    )
    assert SignIn(plain, store).sign_in("sunli", "Sl-pass-2026").roles == ("supervisor",)

    with pytest.raises(ConfigError, match="would send passwords unencrypted"):
        SignIn(directory(ldap, directory_url=ldap.ldap_url, directory_start_tls=False), store)

    file = tmp_path / "config.toml"
    roles = '[directory.roles]\ncc-supervisors = "supervisor"\n'
    file.write_text(
        '[directory]\nurl = "ldap://ldap.bureau.example:389"\nstart_tls = false\n'
        f'allow_plain = true\nuser_dn = "{USER_DN}"\n{roles}'
    )
    with pytest.raises(ConfigError, match="loopback"):
        load_config(file)
    file.write_text(
        '[directory]\nurl = "ldap://ldap.bureau.example:389"\nstart_tls = false\n'
        f'user_dn = "{USER_DN}"\n{roles}'
    )
    with pytest.raises(ConfigError, match="unencrypted"):
        load_config(file)


@needs_slapd
def test_a_directory_down_is_said_and_the_local_accounts_may_stand_in(ldap, store):
    from tests.ldap_server import free_port

    down = f"ldaps://127.0.0.1:{free_port()}"
    add_wangmin(store)
    with pytest.raises(SignInRefused) as refused:
        SignIn(directory(ldap, directory_url=down), store).sign_in("wangmin", "Wm-local-2026")
    assert refused.value.reason.startswith("the directory cannot be reached: ")
    assert "\n" not in refused.value.reason
    [failed] = entries(store, "person.sign_in_failed")
    assert failed.detail["source"] == "ldap"

    fallback = SignIn(directory(ldap, directory_url=down, directory_fallback_local=True), store)
    person = fallback.sign_in("wangmin", "Wm-local-2026")
    assert person.source == "local" and person.roles == ("duty_officer", "supervisor")
    # the fallback is for a directory away, not for a directory that said no
    reachable = SignIn(directory(ldap, directory_fallback_local=True), store)
    with pytest.raises(SignInRefused, match=WRONG):
        reachable.sign_in("wangmin", "Wm-local-2026")


@needs_slapd
def test_a_user_may_be_searched_for_by_a_service_account(ldap, store, monkeypatch):
    from tests.ldap_server import ADMIN_DN, PEOPLE

    search = directory(
        ldap,
        directory_user_dn=None,
        directory_base_dn=PEOPLE,
        directory_user_filter="(&(objectClass=inetOrgPerson)(uid={user}))",
        directory_bind_dn=ADMIN_DN,
    )
    monkeypatch.delenv("COMMANDCENTER_LDAP_PASSWORD", raising=False)
    with pytest.raises(SignInRefused, match="COMMANDCENTER_LDAP_PASSWORD"):
        SignIn(search, store).sign_in("wangmin", "Wm-pass-2026")
    monkeypatch.setenv("COMMANDCENTER_LDAP_PASSWORD", ldap.admin_password)
    person = SignIn(search, store).sign_in("wangmin", "Wm-pass-2026")
    assert person.roles == ("duty_officer", "supervisor") and person.county == "320506"
    with pytest.raises(SignInRefused, match=f"^{WRONG}$"):
        SignIn(search, store).sign_in("*", "Wm-pass-2026")
    with pytest.raises(SignInRefused, match=f"^{WRONG}$"):
        SignIn(search, store).sign_in("wangmin", "nope-nope")


def test_the_directory_settings_are_read_and_checked(tmp_path):
    ca = tmp_path / "ca.pem"
    from tests.ldap_server import make_certificates

    ca = make_certificates(tmp_path).ca
    file = tmp_path / "config.toml"
    file.write_text(
        f"""[directory]
url = "ldaps://ldap.bureau.example:636"
ca_bundle = "{ca.name}"
user_dn = "uid={{user}},ou=people,dc=bureau,dc=example"
group_base = "ou=groups,dc=bureau,dc=example"
timeout_s = 5
fallback_local = true

[directory.roles]
cc-duty-officers = "duty_officer"
cc-supervisors = "supervisor"
cc-conference = "conference_operator"
""",
        encoding="utf-8",
    )
    config = load_config(file)
    assert config.directory_url == "ldaps://ldap.bureau.example:636"
    assert config.directory_ca_bundle == ca and config.directory_fallback_local
    assert config.directory_roles["cc-conference"] == "conference_operator"
    assert Config.from_dict(config.to_dict()).directory_ca_bundle == ca
    assert SignIn(config, Store(f"sqlite:///{tmp_path / 's.db'}")).directory_configured

    def refused(text: str, problem: str) -> None:
        file.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match=problem):
            load_config(file)

    roles = '\n[directory.roles]\ncc = "supervisor"\n'
    refused('[directory]\nurl = "https://x"\n', "not an ldaps:// or ldap:// URL")
    refused('[directory]\nurl = "ldaps://x"\nuser_dn = "uid=me"\n' + roles, "must hold")
    refused('[directory]\nurl = "ldaps://x"\n' + roles, "needs user_dn")
    refused(f'[directory]\nurl = "ldaps://x"\nuser_dn = "{USER_DN}"\n', "map the directory")
    refused(
        f'[directory]\nurl = "ldaps://x"\nuser_dn = "{USER_DN}"\n[directory.roles]\ncc = "boss"\n',
        "is not a role",
    )
    refused(f'[directory]\nurl = "ldaps://me:pw@x"\nuser_dn = "{USER_DN}"\n' + roles, "credentials")
    refused('[directory]\npassword = "x"\n', "unknown key 'password'")


def test_a_local_account_without_a_role_is_refused(store):
    store.add_local_account(
        "nobody-here", name="无角色", roles=(), password_hash=hash_password("No-role-2026")
    )
    with pytest.raises(SignInRefused, match=r"^no command-center role for this account$"):
        SignIn(Config(), store).sign_in("nobody-here", "No-role-2026")


def test_a_password_asked_again_is_audited_as_what_it_was_for(store):
    add_wangmin(store)
    sign_in = SignIn(Config(), store)
    sign_in.sign_in("wangmin", "Wm-local-2026")
    assert sign_in.sign_in("wangmin", "Wm-local-2026", audit_as="screen.unlock").name == "王敏"
    with pytest.raises(SignInRefused, match=WRONG):
        sign_in.sign_in("wangmin", "not-the-one", audit_as="screen.unlock")
    assert [e.action for e in reversed(store.audit_log())] == [
        "person.sign_in",
        "screen.unlock",
        "person.sign_in_failed",
    ]
    with pytest.raises(ValueError, match="audit_as"):
        sign_in.sign_in("wangmin", "Wm-local-2026", audit_as="alert.close")


def test_a_group_counts_only_under_the_group_base():
    from commandcenter.services.directory import _under

    base = "ou=groups,dc=sfj,dc=local"
    assert _under("cn=cc-supervisors,ou=groups,dc=sfj,dc=local", base)
    assert _under("CN=cc-supervisors,OU=Groups,DC=sfj,DC=local", base)
    assert not _under("cn=cc-supervisors,ou=people,dc=sfj,dc=local", base)
    assert not _under("cn=cc-supervisors,ou=groups,dc=evil,dc=local", base)
    assert not _under(base, base)
    assert not _under("not a dn", base)
