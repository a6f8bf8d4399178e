"""`flask worker` whose solves wait SLOW_SOLVE_SECONDS before solving, so that a test can kill it
mid-run. Run as a separate process with DATABASE_URL and REDIS_URL set."""
import ctypes
import os
import signal
import time

import solver
from scheduler import create_app
from scheduler.jobs import start_worker

# Die with the test run that started us. The fixture runs this worker in a session of its own (so that
# teardown can end RQ's forked scheduler too), which also means nothing else ends it: a test run killed
# before its teardown left an orphan worker taking jobs from the shared test Redis database, and a
# later run's queue test found its job gone (CI, stop 17).
PR_SET_PDEATHSIG = 1
ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
if os.getppid() == 1:      # the parent died before prctl took effect
    raise SystemExit("the test run that started this worker has ended")

real_solve = solver.solve


def slow_solve(*args, **kwargs):
    time.sleep(float(os.environ.get("SLOW_SOLVE_SECONDS", "0")))
    return real_solve(*args, **kwargs)


solver.solve = slow_solve
with create_app().app_context():
    start_worker()
