"""Where the data center's SK comes from: never the configuration file.

Looked up in this order: the environment variable `COMMANDCENTER_SK` (an explicit
choice for this run wins), the OS keyring (service "commandcenter", user = the AK)
where a real keyring exists, then an SK file that only its owner can read (mode 600;
on Windows, an access control list granting no one else: owner_only.py).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import platformdirs

from commandcenter import owner_only
from commandcenter.domain.secret import Secret

log = logging.getLogger(__name__)

ENV_SK = "COMMANDCENTER_SK"
KEYRING_SERVICE = "commandcenter"


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
    except Exception:  # a broken backend configuration is the same as none
        return None
    if isinstance(backend, fail.Keyring):
        return None
    # A chainer with nothing behind it fails like the fail backend, only later.
    if getattr(backend, "backends", None) == []:
        return None
    return keyring


def resolve_sk(
    ak: str, *, sk_file: Path | None = None, environ: dict[str, str] | None = None
) -> Secret:
    env = os.environ if environ is None else environ
    value = env.get(ENV_SK)
    if value:
        return Secret(value)
    keyring = _keyring()
    if keyring is not None:
        try:
            stored = keyring.get_password(KEYRING_SERVICE, ak)
        except Exception as exc:  # locked or unreachable keyring: try the file
            log.info(
                "the OS keyring could not be read (%s); trying the SK file", type(exc).__name__
            )
            stored = None
        if stored:
            return Secret(stored)
    file = sk_file or default_sk_file()
    if file.exists():
        return Secret(read_sk_file(file))
    raise CredentialError(
        f"no SK for access key {ak!r}: set {ENV_SK}, store it with "
        f"'commandcenter credentials set', or put it in {file} (mode 600)"
    )


def read_sk_file(file: Path) -> str:
    try:
        info = file.stat()
    except OSError as exc:
        raise CredentialError(f"SK file {file} cannot be read ({exc.strerror})") from None
    wrong = owner_only.problem(file, info)
    if wrong:
        raise CredentialError(f"SK file {file} {wrong}")
    try:
        value = file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise CredentialError(f"SK file {file} cannot be read ({type(exc).__name__})") from None
    if not value:
        raise CredentialError(f"SK file {file} is empty")
    return value


def write_sk_file(file: Path, sk: Secret) -> None:
    """Create or replace the file with owner-only permissions from the start."""
    file.parent.mkdir(parents=True, exist_ok=True)
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
        except Exception as exc:
            log.info("the OS keyring refused the SK (%s); using the SK file", type(exc).__name__)
    file = sk_file or default_sk_file()
    write_sk_file(file, sk)
    return str(file)
