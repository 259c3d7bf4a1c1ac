"""Names of files made from text that came from outside (a camera's id, a category).

The contract says nothing of what an id may hold: `../../x`, `/etc/x`, `C:\\x`, `CON`
or a control character are all ids a data center could send. Such text becomes one
harmless name part (`name_part`), and a file is written only where it belongs
(`inside`).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

MAX_PART_CHARS = 80
# path separators, what Windows forbids in names, and control characters
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def name_part(text: str) -> str:
    """`text` as a part of a file name on any system: no separators, nothing Windows
    refuses, no leading dot, not empty. Text that had to change gets a short digest of
    itself, so that two ids that differ still name different files."""
    clean = _UNSAFE.sub("_", text).strip(" .")
    if _WINDOWS_RESERVED.match(clean):
        clean = "_" + clean
    if clean == text and 0 < len(clean) <= MAX_PART_CHARS:
        return clean
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{clean[:MAX_PART_CHARS] or '_'}-{digest}"


def inside(folder: Path, name: str) -> Path:
    """`folder / name`, refused (ValueError) unless it lies in `folder` itself."""
    path = folder / name
    if path.resolve().parent != folder.resolve():
        raise ValueError(f"{name!r} would be written outside {folder}")
    return path
