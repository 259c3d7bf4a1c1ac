"""What the operating system under the program is and can do, asked in one place.

Code that differs on Windows asks `is_windows()` here and nowhere else, so that the
tests make it take its Windows branch on this machine (the `windows_host` fixture),
with only the Windows calls themselves replaced.
"""

from __future__ import annotations

import getpass
import os


def is_windows() -> bool:
    return os.name == "nt"


def signed_in_person() -> str:
    """Who is signed in to this machine: the account's full name where the system keeps
    one (Windows' display name, the GECOS field on Unix), else the login name; "" when
    neither can be read."""
    try:
        login = getpass.getuser()
    except (OSError, KeyError, ImportError):
        return ""
    return _full_name(login) or login


def _full_name(login: str) -> str:
    if is_windows():
        import ctypes

        secur32 = getattr(ctypes, "windll").secur32  # noqa: B009 - only on Windows
        display_name = 3  # EXTENDED_NAME_FORMAT's NameDisplay
        size = ctypes.c_ulong(0)
        secur32.GetUserNameExW(display_name, None, ctypes.byref(size))
        buffer = ctypes.create_unicode_buffer(size.value or 1)
        if size.value and secur32.GetUserNameExW(display_name, buffer, ctypes.byref(size)):
            return buffer.value.strip()
        return ""
    try:
        import pwd  # noqa: TID251 - on POSIX only, past is_windows() above

        return pwd.getpwnam(login).pw_gecos.split(",")[0].strip()
    except KeyError:
        return ""


def lower_priority(niceness: int) -> None:
    """Let the desktop's own process have the CPU first when both want it."""
    import psutil

    me = psutil.Process()
    if is_windows():
        me.nice(getattr(psutil, "BELOW_NORMAL_PRIORITY_CLASS", 0x4000))
    else:
        me.nice(me.nice() + niceness)


def set_application_id(app_id: str) -> None:
    """On Windows, the taskbar groups and pins the window as this program with its icon,
    not as the Python that runs it."""
    if is_windows():
        import ctypes

        # typeshed declares windll on Windows only, and mypy checks for the platform it
        # runs on; this branch runs on Windows (and in the tests that force it)
        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(app_id)  # type: ignore[attr-defined]
