"""Files that only their owner may read (an SK): the mode bits on POSIX systems, the
file's access control list on Windows, where the mode bits say nothing about who reads."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

from commandcenter.local import host

# Besides the user: the system itself and the machine's administrators, who can read any
# file anyway. A user's own profile grants exactly these three.
SYSTEM = "S-1-5-18"
ADMINISTRATORS = "S-1-5-32-544"
# FILE_READ_DATA, GENERIC_ALL, GENERIC_READ
READING = 0x0001 | 0x10000000 | 0x80000000


class Grant(NamedTuple):
    sid: str
    account: str  # "BUILTIN\Users", for the operator
    reads: bool


class Acl(NamedTuple):
    owner: str  # SIDs as strings
    user: str  # who runs this program
    grants: tuple[Grant, ...] | None  # None: no DACL at all, everyone may do anything


def problem(file: Path, info: os.stat_result) -> str | None:
    """Why `file` is not the owner's alone, in words for the operator; None when it is."""
    if host.is_windows():
        return acl_problem(file, read_acl(file))
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        return f"is readable by others (mode {stat.filemode(info.st_mode)}); run: chmod 600 {file}"
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return "belongs to another user"
    return None


def acl_problem(file: Path, acl: Acl) -> str | None:
    if acl.owner != acl.user:
        return "belongs to another user"
    if acl.grants is None:
        return "has no access control list, so everyone may read it"
    others = sorted(
        {
            g.account
            for g in acl.grants
            if g.reads and g.sid not in (acl.user, SYSTEM, ADMINISTRATORS)
        }
    )
    if others:
        return (
            f"can be read by {', '.join(others)}; let only your own account read it "
            f"(Properties → Security), or keep the SK in the Windows credential store "
            f"with 'commandcenter credentials set'"
        )
    return None


def restrict(file: Path) -> None:
    """Leave `file` (just created, still empty) readable by its owner alone. POSIX files
    are created with mode 600 already."""
    if host.is_windows():
        restrict_acl(file)


# -- the Windows calls (pywin32) ----------------------------------------------------


def read_acl(file: Path) -> Acl:
    import win32api
    import win32security as sec

    sd = sec.GetFileSecurity(
        str(file), sec.OWNER_SECURITY_INFORMATION | sec.DACL_SECURITY_INFORMATION
    )
    dacl = sd.GetSecurityDescriptorDacl()
    grants: tuple[Grant, ...] | None = None
    if dacl is not None:
        allowed = []
        for index in range(dacl.GetAceCount()):
            (kind, _flags), mask, sid = dacl.GetAce(index)
            if kind == sec.ACCESS_ALLOWED_ACE_TYPE:  # deny entries only take away
                allowed.append(
                    Grant(sec.ConvertSidToStringSid(sid), _account(sid), bool(mask & READING))
                )
        grants = tuple(allowed)
    token = sec.OpenProcessToken(win32api.GetCurrentProcess(), sec.TOKEN_QUERY)
    user = sec.GetTokenInformation(token, sec.TokenUser)[0]
    return Acl(
        sec.ConvertSidToStringSid(sd.GetSecurityDescriptorOwner()),
        sec.ConvertSidToStringSid(user),
        grants,
    )


def _account(sid) -> str:
    import pywintypes
    import win32security as sec

    try:
        name, domain, _kind = sec.LookupAccountSid(None, sid)
    except pywintypes.error:
        return sec.ConvertSidToStringSid(sid)
    return f"{domain}\\{name}" if domain else name


def restrict_acl(file: Path) -> None:
    """A protected DACL (nothing inherited from the folder) granting the user alone."""
    import ntsecuritycon as con
    import win32api
    import win32security as sec

    token = sec.OpenProcessToken(win32api.GetCurrentProcess(), sec.TOKEN_QUERY)
    user = sec.GetTokenInformation(token, sec.TokenUser)[0]
    dacl = sec.ACL()
    dacl.AddAccessAllowedAce(sec.ACL_REVISION, con.FILE_ALL_ACCESS, user)
    sec.SetNamedSecurityInfo(
        str(file),
        sec.SE_FILE_OBJECT,
        sec.DACL_SECURITY_INFORMATION | sec.PROTECTED_DACL_SECURITY_INFORMATION,
        None,
        None,
        dacl,
        None,
    )
