"""Where the data center's SK comes from: never the configuration file.

Looked up in this order: the environment variable `COMMANDCENTER_SK` (an explicit
choice for this run wins), the OS keyring (service "commandcenter", user = the AK)
where a real keyring exists, then an SK file that only its owner can read (mode 600;
on Windows, an access control list granting no one else: owner_only.py).

The key of the audit log's chain is kept the same way, never in the store or the
configuration: `COMMANDCENTER_AUDIT_KEY`, the keyring (user "audit-log"), then an
owner-only file, made with a fresh random key on first use.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

import platformdirs

from commandcenter.domain.secret import Secret
from commandcenter.local import owner_only
from commandcenter.local.files import owner_only_folder

log = logging.getLogger(__name__)

ENV_SK = "COMMANDCENTER_SK"
KEYRING_SERVICE = "commandcenter"
ENV_AUDIT_KEY = "COMMANDCENTER_AUDIT_KEY"
KEYRING_AUDIT_USER = "audit-log"


class CredentialError(Exception):
    """No usable SK; the message says where we looked, never what we found."""


def default_sk_file() -> Path:
    return Path(platformdirs.user_config_dir("commandcenter")) / "sk"


def default_datacenter_sk_file() -> Path:
    """The simulated data center's own SK, when it was given none."""
    return Path(platformdirs.user_data_dir("commandcenter")) / "datacenter.sk"


def _keyring():
    """The keyring module if a real backend is usable here, else None."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    # a backend is a plug-in, named by the user's keyring configuration, and may raise
    # anything while it loads: a broken one is the same as none
    except Exception:  # noqa: BLE001
        return None
    if isinstance(backend, fail.Keyring):
        return None
    # A chainer with nothing behind it fails like the fail backend, only later.
    if getattr(backend, "backends", None) == []:
        return None
    return keyring


def _from_keyring(user: str) -> str | None:
    """The keyring's secret for `user`; None without a keyring, or when it is locked or
    unreachable (the file is tried next)."""
    keyring = _keyring()
    if keyring is None:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, user)
    # whatever the backend raises (locked, its bus gone, a plug-in's own error), the file
    # is tried next
    except Exception as exc:  # noqa: BLE001
        log.info("the OS keyring could not be read (%s); trying the file", type(exc).__name__)
        return None


def _look_up(
    variable: str, keyring_user: str, file: Path, what: str, environ: dict[str, str] | None
) -> Secret | None:
    """The environment variable (an explicit choice for this run wins), the keyring, then
    the owner-only file; None when none of them has it."""
    env = os.environ if environ is None else environ
    value = env.get(variable)
    if value:
        return Secret(value)
    stored = _from_keyring(keyring_user)
    if stored:
        return Secret(stored)
    if file.exists():
        return Secret(_read_owner_only(file, what))
    return None


def resolve_sk(
    ak: str, *, sk_file: Path | None = None, environ: dict[str, str] | None = None
) -> Secret:
    file = sk_file or default_sk_file()
    found = _look_up(ENV_SK, ak, file, "SK file", environ)
    if found is not None:
        return found
    raise CredentialError(
        f"no SK for access key {ak!r}: set {ENV_SK}, store it with "
        f"'commandcenter credentials set', or put it in {file} (mode 600)"
    )


def read_sk_file(file: Path) -> str:
    return _read_owner_only(file, "SK file")


def _read_owner_only(file: Path, what: str) -> str:
    try:
        info = file.stat()
    except OSError as exc:
        raise CredentialError(f"{what} {file} cannot be read ({exc.strerror})") from None
    wrong = owner_only.problem(file, info)
    if wrong:
        raise CredentialError(f"{what} {file} {wrong}")
    try:
        value = file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise CredentialError(f"{what} {file} cannot be read ({type(exc).__name__})") from None
    if not value:
        raise CredentialError(f"{what} {file} is empty")
    return value


def default_audit_key_file() -> Path:
    return Path(platformdirs.user_config_dir("commandcenter")) / "audit-key"


def audit_key(
    *, create: bool = True, key_file: Path | None = None, environ: dict[str, str] | None = None
) -> Secret | None:
    """The audit log's key: from the environment, the keyring or the owner-only file;
    with none anywhere, a new random one written to the file (`create`), else None.
    Desks that share one store and verify each other's entries are given the same key
    (the variable, or a copy of the file)."""
    file = key_file or default_audit_key_file()
    found = _look_up(ENV_AUDIT_KEY, KEYRING_AUDIT_USER, file, "audit key file", environ)
    if found is not None or not create:
        return found
    owner_only_folder(file.parent)
    key = secrets.token_hex(32)
    # written whole beside it, then linked in place: two processes starting at once end
    # up with one key (the first's), and nobody reads a half-written file
    draft = file.with_name(f"{file.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, key.encode("ascii") + b"\n")
        finally:
            os.close(fd)
        os.link(draft, file)
    except FileExistsError:
        return Secret(_read_owner_only(file, "audit key file"))
    except OSError as exc:
        raise CredentialError(
            f"the audit log's key cannot be written to {file} ({exc.strerror}): set {ENV_AUDIT_KEY}"
        ) from None
    finally:
        draft.unlink(missing_ok=True)
    log.warning("made a new key for the audit log's chain in %s", file)
    return Secret(key)


def write_sk_file(file: Path, sk: Secret) -> None:
    """Create or replace the file with owner-only permissions from the start."""
    owner_only_folder(file.parent)
    tmp = file.with_name(file.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        owner_only.restrict(tmp)  # before the secret is in it
        os.write(fd, sk.reveal().encode("utf-8") + b"\n")
    finally:
        os.close(fd)
    os.replace(tmp, file)


def store_sk(
    ak: str, sk: Secret, *, sk_file: Path | None = None, prefer_keyring: bool = True
) -> str:
    """Save the SK in the keyring if there is one, else in the owner-only file.
    Returns where it went, in words for the operator."""
    keyring = _keyring() if prefer_keyring else None
    if keyring is not None:
        try:
            keyring.set_password(KEYRING_SERVICE, ak, sk.reveal())
            return "the OS keyring"
        # whatever the backend raises, the SK still goes somewhere safe: the file
        except Exception as exc:  # noqa: BLE001
            log.info("the OS keyring refused the SK (%s); using the SK file", type(exc).__name__)
    file = sk_file or default_sk_file()
    write_sk_file(file, sk)
    return str(file)


def forget_sk(ak: str) -> bool:
    """Remove the SK of `ak` from the OS keyring: False when it held none, or there is no
    usable keyring."""
    keyring = _keyring()
    if keyring is None:
        return False
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(KEYRING_SERVICE, ak)
    except PasswordDeleteError:
        return False
    except KeyringError as exc:
        raise CredentialError(
            f"the OS keyring could not remove the SK ({type(exc).__name__}); unlock it and "
            "try again"
        ) from None
    return True
