"""flask CLI commands: accounts, demo data, the outbox and the worker."""
from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from scheduler.auth.passwords import hash_password, password_problem
from scheduler.extensions import db
from scheduler.models import OutboxMessage, Role, User

users_cli = AppGroup("users", help="Manage user accounts.")
demo_cli = AppGroup("demo", help="Demonstration data.")
outbox_cli = AppGroup("outbox", help="Email waiting to be sent.")
retention_cli = AppGroup("retention", help="The retention schedule for personal data.")
cache_cli = AppGroup("cache", help="Pages' content kept until the data change.")
deployments_cli = AppGroup("deployments", help="Deployments on the inspection teams.")


def _read_password(password_file: Path | None, email: str) -> str:
    if password_file is not None:
        password = password_file.read_text(encoding="utf-8").strip()
    elif os.environ.get("SCHEDULER_PASSWORD"):
        password = os.environ["SCHEDULER_PASSWORD"]
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, email=email)
    if problem:
        raise click.BadParameter(problem, param_hint="password")
    return password


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--password-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the password from this file (else SCHEDULER_PASSWORD, else a hidden prompt).")
def create_user(email: str, role: str, password_file: Path | None) -> None:
    """Create an account. The password is never echoed."""
    email = email.strip().lower()
    if "@" not in email:
        raise click.BadParameter("Enter an email address like name@example.org", param_hint="EMAIL")
    if db.session.scalar(db.select(User).filter_by(email=email)):
        raise click.ClickException(f"An account for {email} already exists")
    password = _read_password(password_file, email)
    db.session.add(User(email=email, role=role, password_hash=hash_password(password)))
    db.session.commit()
    click.echo(f"Created {Role(role).label} account for {email}")


@users_cli.command("totp")
@click.argument("email")
def print_security_code(email: str) -> None:
    """Development only: print the security code an account's authenticator app shows now."""
    from flask import current_app

    from scheduler.auth import mfa

    if not current_app.config.get("DEVELOPMENT"):
        raise click.ClickException("This prints someone's second factor, so it runs only in development "
                                   "(SCHEDULER_ENV=development).")
    user = db.session.scalar(db.select(User).filter_by(email=email.strip().lower()))
    if user is None or user.totp_secret is None or not mfa.enrolled(user):
        raise click.ClickException(f"{email} has no authenticator app set up")
    click.echo(mfa.current_code(user))


@demo_cli.command("load")
def load_demo() -> None:
    """Fill an empty database with a realistic year of data (does nothing if it has assessors)."""
    from scheduler.demo import load_demo_data

    load_demo_data(echo=click.echo)


@outbox_cli.command("send")
def send_outbox() -> None:
    """Send every message that is due (new, or retrying and past its next attempt time)."""
    from flask import current_app

    from scheduler.mail import deliver, due_ids
    from scheduler.models import MessageStatus

    ids = due_ids()
    deliver(current_app._get_current_object(), ids)
    db.session.expire_all()
    counts = dict(db.session.execute(db.select(OutboxMessage.status, db.func.count())
                                     .where(OutboxMessage.id.in_(ids)).group_by(OutboxMessage.status)).all())
    click.echo(f"Tried {len(ids)} messages: " + ", ".join(
        f"{counts.get(status.value, 0)} {status.label.lower()}" for status in MessageStatus) + ".")


@cache_cli.command("clear")
def clear_cache() -> None:
    """Empty the content the workers share through Redis: run it after restoring a backup, whose data
    versions may repeat numbers the cache already holds (each process's own cache notices by itself)."""
    from scheduler import data_cache

    click.echo(f"Removed {data_cache.clear_shared()} shared entries.")


@cache_cli.command("prune")
def prune_changes() -> None:
    """Delete the change log's rows older than a day (daily: the team builder's flags build on the last day's)."""
    from scheduler import data_cache

    click.echo(f"Removed {data_cache.prune_changes()} change log rows.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Print what would be erased or deleted, change nothing.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Apply the schedule as on this date (default: today, UTC).")
def retention_run(dry_run: bool, today) -> None:
    """Erase and delete what the retention schedule says has been kept long enough."""
    from scheduler.models import utcnow
    from scheduler.privacy import retention, schedule

    now = None if today else utcnow()
    result = retention.run(today.date() if today else now.date(), now=now, dry_run=dry_run)
    click.echo(f"{'Dry run: would do' if dry_run else 'Done'} as on {result.today.isoformat()}:")
    for rule in schedule.RULES:
        click.echo(f"  {rule.records}: {result.counts[rule.key]}")
        for line in result.done[rule.key]:
            click.echo(f"    {line}")


@deployments_cli.command("complete")
def deployments_complete() -> None:
    """Mark confirmed deployments on inspections that have ended as completed (idempotent)."""
    from scheduler.deployments import completion
    from scheduler.formatting import long_date, person
    from scheduler.models import utcnow

    today = utcnow().date()
    done = completion.run(today)
    click.echo(f"Completed {len(done)} deployment{'' if len(done) == 1 else 's'} on inspections that ended "
               f"before {long_date(today)}" + (":" if done else "."))
    for d in done:
        click.echo(f"  {d.inspection.reference}: {person(d.assessor.name, d.assessor.reference)}, "
                   f"{d.day_count} days")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst: bool) -> None:
    """Run team-builder solves, send email and the daily jobs (completing deployments, retention) from the
    Redis queues (needs REDIS_URL)."""
    from scheduler.jobs import start_worker

    start_worker(burst=burst)


def init_commands(app: Flask) -> None:
    app.cli.add_command(worker)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(cache_cli)
    app.cli.add_command(deployments_cli)
