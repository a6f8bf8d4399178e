"""The data version: counters whose sum changes with every write to the data the pages show.

Database triggers (migrations 0008, 0012) add one to a ``data_version`` row in the same transaction
as every INSERT, UPDATE or DELETE on a tracked table, whoever writes (this app, a worker, psql), so
the sum a request reads is committed together with the rows it stands for. On PostgreSQL each
writing connection has its own row (its backend's process id), bumped once per transaction, so
writers neither queue nor deadlock on it; SQLite, one writer at a time, bumps row 1. ``scheduler.
data_cache`` keys what it keeps on it. Every table is tracked except those in UNTRACKED_TABLES,
written as a side effect of viewing a page and read by nothing that is cached; and an update
that touches only UNTRACKED_COLUMNS (a running solve's heartbeat, every few seconds; a user's
last sign-in) does not count either. A table added later is tracked
by giving it the triggers in its migration (a test checks that every table is one or the other).
The tables the team builder's flags read also log, for each row a write touches, its assessor
and inspection (``DataChange``, migration 0017): a table those flags come to read needs that
trigger too (tests/teams/test_flags_after_writes.py checks)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from scheduler.extensions import db

UNTRACKED_TABLES = frozenset({
    "login_session",      # last seen, on every request
    "audit_event",        # the record of changes, read only by profiles and logs (never cached)
    "outbox_message",     # mail sent
    "used_link",          # a signed link opened
    "application_draft",  # an applicant's answers, page by page (shown only back to them)
})
UNTRACKED_COLUMNS = {"solve_run": ("heartbeat_at", "progress"), "user_account": ("last_sign_in_at",)}


class DataVersion(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)


class DataChange(db.Model):
    """What a committed write touched (migration 0017): the assessor and the inspection a changed
    row concerns (0 for none; both 0: everything), under the writer's data-version row and the
    version its transaction gave that row. Written by triggers on the tables the team builder's
    flags read; ``at`` (Unix seconds) is for pruning."""

    writer: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)
    assessor_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    inspection_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)
