"""What keeps the audit log honest against someone who can write the store: the key
its chain is keyed with (credentials.audit_key, never in the store) and its head (the
newest entry, and how many there were) recorded outside the store.

The contract gives the data center no audit interface, so the head goes to a file
in the user's data folder that only its owner can write, one for each store. Writers
in several processes record it in turn (a lock file beside it) and only forwards:
a slower writer never puts back an older head.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from filelock import FileLock

from commandcenter.domain.audit_chain import ChainCheck, Head, key_id
from commandcenter.domain.secret import Secret
from commandcenter.local.files import owner_only_folder

log = logging.getLogger(__name__)


def default_heads_folder() -> Path:
    """The user's folder of audit-log heads, one file per store."""
    return Path(platformdirs.user_data_dir("commandcenter")) / "audit-heads"


def _default_key(create: bool) -> Secret | None:
    from commandcenter.local.credentials import audit_key

    return audit_key(create=create)


class AuditSeal:
    """Holds the audit chain's key and its head outside the store."""

    def __init__(
        self,
        key_source: Callable[[bool], Secret | None] = _default_key,
        heads_folder: Path | None = None,
    ):
        self._key_source = key_source
        self._key: bytes | None = None
        self.heads_folder = heads_folder or default_heads_folder()

    def key(self, *, create: bool = True) -> bytes | None:
        """The chain's key (made on first use when `create`); None when there is none
        and none may be made."""
        if self._key is None:
            secret = self._key_source(create)
            if secret is not None:
                self._key = secret.reveal().encode("utf-8")
        return self._key

    def key_id(self, *, create: bool = True) -> str | None:
        """The id of the chain's key (made on first use when `create`); None without one."""
        key = self.key(create=create)
        return key_id(key) if key is not None else None

    def head_file(self, store_identity: str) -> Path:
        """The file that records this store's head."""
        name = hashlib.sha256(store_identity.encode("utf-8")).hexdigest()[:32]
        return self.heads_folder / f"{name}.json"

    def read_head(self, store_identity: str) -> Head | None:
        """The head recorded for this store; None when none was. A file that cannot be
        read as a head raises ValueError naming it."""
        file = self.head_file(store_identity)
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            return Head(int(data["entries"]), int(data["last_id"]), str(data["hash"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"the audit head file {file} cannot be read ({exc})") from None

    def record_head(self, store_identity: str, head: Head) -> None:
        """Record `head` unless one as new or newer is recorded already."""
        file = self.head_file(store_identity)
        owner_only_folder(file.parent)
        with FileLock(str(file) + ".lock", mode=0o600):
            try:
                recorded = self.read_head(store_identity)
            except ValueError:
                recorded = None  # damaged: replaced by the head we know
            if recorded is not None and recorded.entries >= head.entries:
                return
            draft = file.with_name(file.name + ".new")
            fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(
                    {
                        "store": store_identity,
                        "entries": head.entries,
                        "last_id": head.last_id,
                        "hash": head.hash,
                    },
                    out,
                    ensure_ascii=False,
                )
                out.flush()
                os.fsync(out.fileno())
            os.replace(draft, file)


@dataclass(frozen=True)
class AuditCheck:
    """`audit verify`'s findings: the chain, the head recorded outside the store (and
    where), the guards that keep the table append-only."""

    chain: ChainCheck
    head_file: Path
    head: Head | None  # as recorded; None: no head was recorded for this store
    guards_missing: tuple[str, ...]  # the append-only triggers that are gone
    key_id: str | None  # of the key held here; None: no key here

    @property
    def tampered(self) -> bool:
        """Whether the chain or its guards show tampering."""
        return not self.chain.intact or bool(self.guards_missing)

    @property
    def verified(self) -> bool:
        """Whether the whole chain verified, untampered."""
        return not self.tampered and self.chain.verified
