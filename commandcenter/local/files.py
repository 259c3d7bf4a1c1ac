"""The client's own files on this machine are its user's alone.

The store holds the audit log, how alerts were handled and inspection results; the
configuration folder holds the SK and the audit log's key. Made here, each folder is
the owner's only (0700) and each file too (0600); found with looser permissions, a
file of ours is tightened, and so is a folder that is the client's own (not a folder
such as /tmp that a store was merely put in). Windows protects a user's folders by
their ACLs; the modes here apply to POSIX systems.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import platformdirs

from commandcenter.local import host

log = logging.getLogger(__name__)


def own_folders() -> tuple[Path, ...]:
    """The client's own data and configuration folders."""
    return (
        Path(platformdirs.user_data_dir("commandcenter")),
        Path(platformdirs.user_config_dir("commandcenter")),
    )


def owner_only_folder(folder: Path) -> Path:
    """`folder`, made if missing (0700 for what is made); the client's own folders it is
    in (or is) are tightened to 0700 when they are looser."""
    if not folder.exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
    resolved = folder.resolve()
    for own in own_folders():
        own = own.resolve()
        if own == resolved or own in resolved.parents:
            _tighten(own, 0o700)
    return folder


def owner_only_file(path: Path) -> Path:
    """`path` made empty with mode 0600 if missing, tightened to 0600 if it is ours and
    looser."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        _tighten(path, 0o600)
    else:
        os.close(fd)
    return path


def _tighten(path: Path, mode: int) -> None:
    if host.is_windows():  # a user's folders are protected by their ACLs there
        return
    try:
        info = path.stat()
        mine = info.st_uid == os.getuid()  # noqa: TID251 - not on Windows (above)
        if not mine or not info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            return
        os.chmod(path, mode)
    except OSError as exc:  # read-only media, or not ours to change: said, and used as is
        log.warning("%s is readable by others and cannot be made owner-only (%s)", path, exc)
        return
    log.warning("%s was readable by others: now its owner's only", path)
