"""The desktop process's heap under a video wall.

Every tile's decoder allocates and frees picture buffers of hundreds of kilobytes, a
few hundred times a second across a 16-tile wall, from threads of their own. glibc
serves blocks that large by mapping them, until the first one is freed; then it raises
its threshold and serves them from the heap, where they interleave with long-lived
small blocks and leave holes it can neither reuse nor return: the window's memory
grows for as long as the wall plays (benchmarks/soak.py shows the curve).

So the threshold stays at 128 KiB (pictures are mapped, and unmapped when freed), and
every half minute a thread returns the heap's free pages to the system. Elsewhere
than glibc both are skipped.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import threading
import time

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # mallopt's parameter, from glibc's malloc.h
MMAP_THRESHOLD_BYTES = 128 * 1024
TRIM_EVERY_S = 30.0

_trimmer: threading.Thread | None = None


def _glibc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt.argtypes, libc.malloc_trim.argtypes = (
            [ctypes.c_int, ctypes.c_int],
            [ctypes.c_size_t],
        )
        return libc
    except (OSError, AttributeError):  # not glibc (no mallopt / malloc_trim)
        return None


def keep_heap_compact(trim_every_s: float = TRIM_EVERY_S) -> bool:
    """Once per process, before the decoders start; False where it does not apply."""
    global _trimmer
    if _trimmer is not None:
        return True
    libc = _glibc()
    if libc is None:
        log.debug("not glibc: the heap is left to the system's allocator")
        return False
    if not libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES):
        log.debug("mallopt refused the mapping threshold")

    def trim() -> None:
        while True:
            time.sleep(trim_every_s)
            libc.malloc_trim(0)

    _trimmer = threading.Thread(target=trim, name="heap-trim", daemon=True)
    _trimmer.start()
    return True
