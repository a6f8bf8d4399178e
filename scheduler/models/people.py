"""Areas, employers, users and the associate assessors with their agreements and availability."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.extensions import db
from scheduler.text import fold

from .base import Timestamped, Versioned, days_within_rule, utcnow
from .choices import (
    AgreementStatus,
    AssessorStatus,
    EmployerKind,
    Role,
    Sector,
    Specialism,
    one_of,
)


class Area(db.Model):
    """One of Scotland's 32 council areas, located by its admin centre."""

    id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    lat: Mapped[float]
    lon: Mapped[float]

    def __repr__(self) -> str:
        return f"<Area {self.id}>"


employer_area = sa.Table(
    "employer_area",
    db.metadata,
    sa.Column("employer_id", sa.ForeignKey("employer.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("area_id", sa.ForeignKey("area.id"), primary_key=True),
)


class Employer(db.Model):
    """An organisation that releases assessors: a council, an NHS board or a charity."""

    __table_args__ = (one_of("kind", EmployerKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    # The mail domains its managers write from: a release contact on one of them is taken as the
    # employer's; any other address waits for a coordinator to confirm it (scheduler.employer.contacts).
    email_domains: Mapped[list[str]] = mapped_column(sa.JSON, default=list, server_default="[]")
    areas: Mapped[list[Area]] = relationship(secondary=employer_area, order_by=Area.name)

    def __repr__(self) -> str:
        return f"<Employer {self.name}>"


class User(Timestamped, db.Model):
    __tablename__ = "user_account"
    __table_args__ = (one_of("role", Role),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20))
    active: Mapped[bool] = mapped_column(default=True)
    last_sign_in_at: Mapped[datetime | None]
    # Two-step sign-in (scheduler.auth.mfa): the TOTP secret is set while setting up and the
    # enrolment date once a first code proved the app holds it; the last accepted time step stops
    # a code being replayed.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(32))
    mfa_enrolled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)

    assessor: Mapped[Assessor | None] = relationship(back_populates="user")
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(cascade="all, delete-orphan",
                                                              passive_deletes=True)

    # Flask-Login protocol. The id in the session is the login session's, not the user's,
    # so that signing out (deleting that row) ends the session even if the cookie is replayed.
    login_session_id = None
    login_session = None    # and the row itself, once loaded (scheduler.auth.sessions)

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.login_session_id

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class RecoveryCode(db.Model):
    """A one-time code for signing in without the authenticator app, kept only as a SHA-256 hash
    (the codes carry 120 random bits, so a plain hash cannot be reversed by guessing)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    used_at: Mapped[datetime | None]


class LoginSession(db.Model):
    """A signed-in browser. Deleted at sign-out; refused when idle too long or older than the
    absolute lifetime (scheduler.auth.sessions)."""

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ip: Mapped[str | None] = mapped_column(sa.String(64))

    user: Mapped[User] = relationship()


SEARCHED = ("name", "reference", "email")


def search_text_of(values: dict) -> str:
    """What the directory's free-text search matches (the employer is matched through its own name)."""
    return fold(" ".join(values.get(k) or "" for k in SEARCHED))


class Assessor(Versioned, Timestamped, db.Model):
    __table_args__ = (
        one_of("sector", Sector),
        one_of("status", AssessorStatus),
        sa.CheckConstraint("holds_children OR holds_adults OR holds_justice", name="holds_a_specialism"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(12), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    # A new contact address the assessor asked for: it replaces `email` once they open the link
    # sent to it, so nobody can point an assessor's mail at an address they do not read.
    pending_email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    holds_children: Mapped[bool] = mapped_column(default=False)
    holds_adults: Mapped[bool] = mapped_column(default=False)
    holds_justice: Mapped[bool] = mapped_column(default=False)
    sector: Mapped[str] = mapped_column(sa.String(20))
    employer_id: Mapped[int] = mapped_column(sa.ForeignKey("employer.id"), index=True)
    job_title: Mapped[str] = mapped_column(sa.String(160))
    strategic_experience: Mapped[str] = mapped_column(sa.Text, default="")
    home_area_id: Mapped[str] = mapped_column(sa.ForeignKey("area.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=AssessorStatus.ACTIVE.value, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), unique=True)
    calendar_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # Set when the personal details were anonymised (on request or by the retention schedule).
    erased_at: Mapped[datetime | None]
    # Kept by the model: computed on every INSERT (bulk ones too, from the row's values) and on an
    # ORM update of the fields it folds (listener below).
    search_text: Mapped[str] = mapped_column(
        sa.String(400), default=lambda ctx: search_text_of(ctx.get_current_parameters()), server_default="")

    employer: Mapped[Employer] = relationship()
    home_area: Mapped[Area] = relationship()
    user: Mapped[User | None] = relationship(back_populates="assessor")
    agreements: Mapped[list[EmployerAgreement]] = relationship(
        back_populates="assessor",
        order_by="(EmployerAgreement.created_at.desc(), EmployerAgreement.id.desc())",
        cascade="all, delete-orphan",
    )
    unavailability: Mapped[list[Unavailability]] = relationship(
        back_populates="assessor", order_by="Unavailability.starts_on", cascade="all, delete-orphan",
    )

    @property
    def specialisms(self) -> tuple[Specialism, ...]:
        return tuple(s for s in Specialism if getattr(self, f"holds_{s.value}"))

    @specialisms.setter
    def specialisms(self, values) -> None:
        chosen = {Specialism(v) for v in values}
        for s in Specialism:
            setattr(self, f"holds_{s.value}", s in chosen)

    def agreements_on(self, day: date) -> list[EmployerAgreement]:
        """The agreements an assessor needs to see on `day`: each one still running or to come
        (agreed, asked for or declined), earliest first; if there are none, the newest, so that
        an ended one is shown and explained rather than nothing."""
        running = [a for a in self.agreements
                   if a.valid_to >= day and a.status_on(day) != AgreementStatus.EXPIRED]
        return sorted(running, key=lambda a: (a.valid_from, a.id)) or self.agreements[:1]

    @property
    def current_agreement(self) -> EmployerAgreement | None:
        """The most recent agreement the employer has agreed to (newest first, ties by id)."""
        return next((a for a in self.agreements if a.status == AgreementStatus.AGREED), None)

    def __repr__(self) -> str:
        return f"<Assessor {self.reference} {self.name}>"


@sa.event.listens_for(Assessor, "before_update")
def _refresh_search_text(_mapper, _connection, assessor: Assessor) -> None:
    assessor.search_text = search_text_of({k: getattr(assessor, k) for k in SEARCHED})


# Partial-word search at thousands of assessors: a trigram index on PostgreSQL (pg_trgm, created by
# migration 0014), a plain index elsewhere.
sa.Index("ix_assessor_search_text", Assessor.search_text, postgresql_using="gin",
         postgresql_ops={"search_text": "gin_trgm_ops"})

# The directory's default order (case-insensitive name, then id): an index scan instead of sorting
# every assessor for each page of 25.
sa.Index("ix_assessor_lower_name", sa.func.lower(Assessor.name), Assessor.id)


class EmployerAgreement(Versioned, Timestamped, db.Model):
    """What an employer has agreed to release: days per deployment, total days, a period."""

    __table_args__ = (
        one_of("status", AgreementStatus),
        days_within_rule("days_per_deployment"),
        sa.CheckConstraint("total_days >= days_per_deployment", name="total_covers_one_deployment"),
        sa.CheckConstraint("valid_to >= valid_from", name="ends_after_it_starts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessor_id: Mapped[int] = mapped_column(sa.ForeignKey("assessor.id", ondelete="CASCADE"), index=True)
    employer_id: Mapped[int] = mapped_column(sa.ForeignKey("employer.id"))
    contact_name: Mapped[str] = mapped_column(sa.String(120))
    contact_email: Mapped[str] = mapped_column(sa.String(254))
    days_per_deployment: Mapped[int]
    total_days: Mapped[int]
    valid_from: Mapped[date]
    valid_to: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(20), default=AgreementStatus.REQUESTED.value)
    decline_reason: Mapped[str | None] = mapped_column(sa.Text)
    responded_at: Mapped[datetime | None]
    # When the contact was known to be the employer's (their address is on one of its domains, or a
    # coordinator confirmed it). No link goes to a contact until then.
    contact_verified_at: Mapped[datetime | None]
    contact_verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    assessor: Mapped[Assessor] = relationship(back_populates="agreements")
    employer: Mapped[Employer] = relationship()

    def status_on(self, day: date) -> str:
        """The status as it stands on `day`: an agreed period that is over has ended ("expired"),
        and one that is still running has not, whatever year the programme is being planned for."""
        if self.status == AgreementStatus.AGREED and self.valid_to < day:
            return AgreementStatus.EXPIRED.value
        return self.status


class Unavailability(db.Model):
    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="ends_after_it_starts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessor_id: Mapped[int] = mapped_column(sa.ForeignKey("assessor.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    reason: Mapped[str] = mapped_column(sa.String(200), default="")

    assessor: Mapped[Assessor] = relationship(back_populates="unavailability")
