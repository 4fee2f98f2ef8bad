"""Work around PySide6 6.12.0 on Python 3.11: every void Qt call drops one reference to None.

Measured on this machine: about 5,000 calls such as `QWidget.update()` or `processEvents()` bring None's
reference count to zero and the interpreter aborts ("none_dealloc"); a kiosk repainting its meters hits
that within seconds. 6.11.3 does not leak. Python 3.12+ makes None immortal, so only 3.11 needs this.
The probe below measures the leak; only a leaking Qt gets None's count raised out of reach.
"""

from __future__ import annotations

import ctypes
import sys

PROBE_CALLS = 200
HEADROOM = 1 << 40
_guarded = False


def none_leaks() -> bool:
    """True when a void Qt call really drops a reference to None (the 6.12.0 bug)."""
    from PySide6.QtCore import QTimer

    timer = QTimer()
    before = sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        timer.stop()
    return before - sys.getrefcount(None) >= PROBE_CALLS // 2


def guard_none_refcount() -> bool:
    """Raise None's reference count far beyond what any run can drop (once); returns whether it is raised."""
    global _guarded
    if not _guarded and sys.version_info < (3, 12) and none_leaks():
        ctypes.c_ssize_t.from_address(id(None)).value += HEADROOM
        _guarded = True
    return _guarded
