"""HiGHS, optional: without it the CP-SAT model is used for every cap."""
from __future__ import annotations

import ctypes
import os
import sys
import threading
import time
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


def run_within(h, deadline: float, stopper, mip: bool) -> bool:
    """Run HiGHS until ``deadline`` (time.monotonic()), cancellable through ``stopper``; False when
    there was no time left (or a cancel) and it did not run.  ``mip``: whether the model has
    integer columns.  HiGHS (1.16) holds a MIP to its time limit from the MIP's own start but an
    LP from the object's first run (``getRunTime``, MIPs included): without that an LP after a
    few seconds of MIPs stopped at once, leaving cap-3 levels unproven well before the deadline.
    A MIP's presolve does not look at the limit (measured once: 4.1 s for 1 s): a timer cancels it
    (as patterns.py's MIPs)."""
    left = deadline - time.monotonic()
    if left <= 0 or stopper.cancelled:
        return False
    h.setOptionValue("time_limit", max(0.01, left) + (0.0 if mip else h.getRunTime()))
    stopper.highs = h
    timer = threading.Timer(max(0.01, left) + 0.2, h.cancelSolve) if mip else None
    if timer is not None:
        timer.start()
    try:
        h.run()
    finally:
        if timer is not None:
            timer.cancel()
        stopper.highs = None
    return True


def start_from(h, col_value) -> None:
    """A known solution as the MIP's starting point."""
    sol = highspy.HighsSolution()
    sol.col_value = list(col_value)
    sol.value_valid = True
    h.setSolution(sol)
