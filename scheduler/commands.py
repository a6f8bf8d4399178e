"""flask CLI commands: accounts and demo data."""
from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from scheduler.auth.passwords import hash_password, password_problem
from scheduler.extensions import db
from scheduler.models import Role, User

users_cli = AppGroup("users", help="Manage user accounts.")
demo_cli = AppGroup("demo", help="Demonstration data.")
retention_cli = AppGroup("retention", help="The retention schedule for personal data.")


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


@demo_cli.command("load")
def load_demo() -> None:
    """Fill an empty database with a realistic year of data (does nothing if it has assessors)."""
    from scheduler.demo import load_demo_data

    load_demo_data(echo=click.echo)


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


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst: bool) -> None:
    """Run team-builder solves and the daily retention run from the Redis queue (needs REDIS_URL)."""
    from scheduler.jobs import start_worker

    start_worker(burst=burst)


def init_commands(app: Flask) -> None:
    app.cli.add_command(worker)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(retention_cli)
