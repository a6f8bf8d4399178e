"""The fault suite: races, a database or Redis that is down, a solve worker that dies. Races need a
server that runs transactions side by side, so those tests run on PostgreSQL only (in CI: make
test-postgres); SQLite serialises every writer anyway."""
from __future__ import annotations

import threading

import pytest

from scheduler.extensions import db as _db
from tests.teams.conftest import programme  # noqa: F401  (the team builder's programme, a fixture here too)


@pytest.fixture()
def postgresql(db):
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL): races and worker processes need a database server")
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


class FlakyPort:
    """A TCP relay on a free loopback port to a real server, which a test can take down (every
    connection dropped, new ones refused) and bring back on the same port: a Redis outage without
    touching the shared Redis.

    A dropped connection is shut down, not only closed: closing a socket that another thread is
    reading leaves the connection open, and Redis kept a dead worker's BLPOP waiting on it, which
    took the next test's job from the queue and lost it (the flaky "not within 60 s")."""

    def __init__(self, target_port: int):
        import socket

        self.target = ("127.0.0.1", target_port)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.listener = None
        self.open: set = set()
        self.lock = threading.Lock()
        self.up()

    def up(self) -> None:
        import socket

        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(16)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self) -> None:
        import socket

        with self.lock:
            self.listener.shutdown(socket.SHUT_RDWR)     # wakes the accepting thread: the port is free again
            self.listener.close()
            dropped, self.open = self.open, set()
        for s in dropped:
            self._drop(s)

    def _accept(self, listener) -> None:
        import socket

        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self.lock:
                if listener.fileno() == -1:              # taken down meanwhile: refuse this one too
                    self._drop(client)
                    return
                server = socket.create_connection(self.target)
                self.open |= {client, server}
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _drop(s) -> None:
        import socket

        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        s.close()

    @classmethod
    def _pipe(cls, source, sink) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            cls._drop(source)
            cls._drop(sink)
