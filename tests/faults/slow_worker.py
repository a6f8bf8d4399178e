"""`flask worker` whose solves wait SLOW_SOLVE_SECONDS before solving, so that a test can kill it
mid-run. Run as a separate process with DATABASE_URL and REDIS_URL set."""
import os
import time

import solver
from scheduler import create_app
from scheduler.jobs import start_worker

real_solve = solver.solve


def slow_solve(*args, **kwargs):
    time.sleep(float(os.environ.get("SLOW_SOLVE_SECONDS", "0")))
    return real_solve(*args, **kwargs)


solver.solve = slow_solve
with create_app().app_context():
    start_worker()
