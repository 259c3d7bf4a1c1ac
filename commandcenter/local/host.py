"""What the operating system under the program is and can do, asked in one place.

Code that differs on Windows asks `is_windows()` here and nowhere else, so that the
tests make it take its Windows branch on this machine (the `windows_host` fixture),
with only the Windows calls themselves replaced.
"""

from __future__ import annotations

import os


def is_windows() -> bool:
    return os.name == "nt"


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
