"""HiGHS, optional: without it the CP-SAT model is used for every cap."""
from __future__ import annotations

import ctypes
import os
import sys
import threading
from typing import Any

highspy: Any
try:
    import highspy
except ImportError:                    # pragma: no cover
    highspy = None

_banner_lock = threading.Lock()
_banner_shown = False


def new_highs():
    """A silent HiGHS.  Its banner is printed on stdout by the first one made in a process, before
    any option can be set; stdout may carry the plan (``python -m solver solve`` without
    ``--out``), so that one is made with file descriptor 1 pointing at stderr."""
    global _banner_shown
    with _banner_lock:
        if _banner_shown:
            h = highspy.Highs()
        else:
            sys.stdout.flush()
            saved = os.dup(1)
            try:
                os.dup2(2, 1)
                h = highspy.Highs()
                ctypes.CDLL(None).fflush(None)      # HiGHS writes through C stdio
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            _banner_shown = True
    h.setOptionValue("output_flag", False)
    return h
