"""The fault suite: races, a database or Redis that is down, a solve worker that dies. Races need a
server that runs transactions side by side, so those tests run on PostgreSQL only (in CI: make
test-postgres); SQLite serialises every writer anyway."""
from __future__ import annotations

import threading

import pytest

from scheduler.extensions import db as _db


@pytest.fixture()
def postgresql(db):
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL): SQLite runs one writer at a time")
    return db


def at_once(*actions):
    """Run each action in its own thread, released together; their results in order."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(i, action):
        barrier.wait()
        try:
            results[i] = action()
        except Exception as error:     # handed to the test, which fails on it
            results[i] = error

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results
