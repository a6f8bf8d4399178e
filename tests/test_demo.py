"""`flask demo load`: a realistic year loaded into an empty database, once."""
from __future__ import annotations

import random
import re
from datetime import date

import holidays
import pyotp
import pytest
from werkzeug.security import generate_password_hash

from scheduler import demo
from scheduler import reference as ref
from scheduler.auth.passwords import password_problem, verify_password
from scheduler.models import (
    MAX_DEPLOYMENT_DAYS,
    MIN_DEPLOYMENT_DAYS,
    AgreementStatus,
    Application,
    Assessor,
    Campaign,
    EmployerAgreement,
    Inspection,
    Role,
    Seat,
    Unavailability,
    User,
)

TODAY = date(2026, 11, 26)
YEAR = 2027


@pytest.fixture()
def output():
    return []


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    """scrypt is deliberately slow; the passwords module's own tests cover it."""
    monkeypatch.setattr(demo, "hash_password", lambda p: generate_password_hash(p, method="pbkdf2:sha256:1000"))


@pytest.fixture()
def passwords(monkeypatch):
    """Every password the loader generates, so tests can look for it in the output."""
    made: list[str] = []
    original = demo._password

    def recording(email: str) -> str:
        made.append(original(email))
        return made[-1]

    monkeypatch.setattr(demo, "_password", recording)
    return made


@pytest.fixture()
def loaded(db, output, passwords):
    demo.load_demo_data(echo=output.append, today=TODAY)
    db.session.expire_all()
    return db


def count(db, model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_loads_a_year_of_assessors(loaded):
    db = loaded
    assessors = db.session.scalars(db.select(Assessor)).all()
    assert 180 <= len(assessors) <= 220
    assert all(a.specialisms for a in assessors)
    assert not [a.name for a in assessors if re.search(r"assessor\s*\d", a.name, re.I)]
    assert len({a.name for a in assessors}) == len(assessors)
    assert all(a.email.endswith(".example") for a in assessors)
    assert [a.reference for a in assessors if a.reference == "A00001"]

    children = sum(a.holds_children for a in assessors)
    assert children > sum(a.holds_adults for a in assessors) > 0
    assert sum(a.holds_justice for a in assessors) > 0
    two = sum(len(a.specialisms) > 1 for a in assessors)
    assert 0.10 * len(assessors) <= two <= 0.30 * len(assessors)
    statutory = sum(a.sector == "statutory" for a in assessors)
    assert 0.55 * len(assessors) <= statutory <= 0.75 * len(assessors)

    for a in assessors:
        if a.sector == "third":
            assert a.employer.kind == "third_sector", a
        else:
            assert a.employer.kind != "third_sector", a
            if a.employer.kind in ("council", "nhs_board"):
                assert a.home_area in a.employer.areas, a
    # Areas weighted by population: Glasgow has more assessors than Orkney.
    by_area = {}
    for a in assessors:
        by_area[a.home_area_id] = by_area.get(a.home_area_id, 0) + 1
    assert by_area.get("glasgow-city", 0) > by_area.get("orkney-islands", 0)


def test_agreements_and_unavailability(loaded):
    db = loaded
    agreements = db.session.scalars(db.select(EmployerAgreement)).all()
    statuses = {g.status for g in agreements}
    assert statuses == {s.value for s in AgreementStatus}
    agreed = [g for g in agreements if g.status == AgreementStatus.AGREED]
    assert len(agreed) > 0.6 * count(db, Assessor)
    for g in agreements:
        assert 6 <= g.days_per_deployment <= 10
        assert g.days_per_deployment <= g.total_days <= 24
        assert g.contact_email.endswith(".example")
        assert g.employer_id == g.assessor.employer_id
    # Agreed for the planned year, or for the year the demo is loaded in (still running then).
    assert all(g.valid_from.year == YEAR or g.valid_to >= TODAY for g in agreed)
    assert any(g.valid_from.year == YEAR - 1 for g in agreed)
    # "Ended" only for an agreement that has: none runs on past the day the demo is loaded.
    assert all(g.valid_to < TODAY for g in agreements if g.status == AgreementStatus.EXPIRED)
    assert count(db, Unavailability) > 100


def test_loads_a_programme_of_inspections(loaded):
    db = loaded
    inspections = db.session.scalars(db.select(Inspection).order_by(Inspection.reference)).all()
    assert 20 <= len(inspections) <= 28
    assert inspections[0].reference == "I0001"
    assert [i.starts_on for i in inspections] == sorted(i.starts_on for i in inspections)
    types = {i.type for i in inspections}
    assert types == {"children", "adults", "justice", "thematic"}
    national = [i for i in inspections if i.is_national]
    assert 1 <= len(national) <= 3
    assert all(i.type == "thematic" and not i.excluded_employers for i in national)

    bank = set(holidays.country_holidays("GB", subdiv="SCT", years=YEAR))
    for i in inspections:
        assert i.status == "planned"
        assert i.starts_on.year == YEAR and i.ends_on.year == YEAR
        assert 6 * 7 - 3 <= (i.ends_on - i.starts_on).days + 1 <= 10 * 7
        assert "Care Inspectorate" in i.partner_bodies
        days = i.working_days
        assert days[0] == i.starts_on and days[-1] == i.ends_on
        assert all(d.weekday() < 5 and d not in bank for d in days)
        mandatory = i.mandatory_days
        assert mandatory[0] == days[0]  # briefing day
        assert 4 <= len(mandatory) <= 6  # and a fieldwork week
        assert i.seats
        for seat in i.seats:
            assert 1 <= seat.count <= 3
            assert MIN_DEPLOYMENT_DAYS <= seat.min_days <= seat.max_days <= MAX_DEPLOYMENT_DAYS
            assert seat.min_days >= len(mandatory)
        if not i.is_national:
            assert i.area.name in i.title
            assert {e.name for e in i.excluded_employers} == set(ref.excluded_employers_for(i.area_id))
    assert any(i.title == f"Joint inspection of services for children at risk of harm in {i.area.name}"
               for i in inspections if i.type == "children")
    every_seat = db.session.scalars(db.select(Seat)).all()
    assert all(MIN_DEPLOYMENT_DAYS <= s.min_days <= s.max_days <= MAX_DEPLOYMENT_DAYS for s in every_seat)


def test_recruitment_is_closed(loaded):
    db = loaded
    campaigns = db.session.scalars(db.select(Campaign)).all()
    assert len(campaigns) == 1 and not campaigns[0].is_open
    assert campaigns[0].closes_on < date(YEAR, 1, 1)
    applications = db.session.scalars(db.select(Application)).all()
    assert 4 <= len(applications) <= 12
    assert len({a.status for a in applications}) >= 3
    assert all(a.assessor is not None for a in applications if a.status == "admitted")


def test_one_demo_user_per_role(loaded):
    db = loaded
    users = db.session.scalars(db.select(User)).all()
    assert sorted(u.role for u in users) == sorted(r.value for r in Role)
    assert {u.email for u in users} == {f"{r.value}@demo.example" for r in Role}
    assessor_user = next(u for u in users if u.role == "assessor")
    assert assessor_user.assessor is not None
    assert assessor_user.assessor.email == "assessor@demo.example"


def test_the_demo_assessors_page_shows_each_running_agreement_as_agreed(loaded, client, sign_in, monkeypatch):
    from scheduler.my import availability
    from tests import factories

    monkeypatch.setattr(availability, "today", lambda: TODAY)
    user = loaded.session.scalar(loaded.select(User).filter_by(role="assessor"))
    user.password_hash = generate_password_hash(factories.PASSWORD, method="pbkdf2:sha256:1000")
    running = [g for g in user.assessor.agreements if g.valid_to >= TODAY]
    assert running
    sign_in(user)
    page = client.get("/my")
    section = page.soup.find("h2", string="Employer agreement").find_next_siblings("p")
    tags = [tag.get_text(strip=True) for p in section for tag in p.select(".govuk-tag")]
    assert tags[:len(running)] == ["Agreed"] * len(running)
    assert "Ended" not in page.get_data(as_text=True)


def test_running_twice_adds_nothing(loaded, output):
    db = loaded
    before = {m: count(db, m) for m in (Assessor, Inspection, User, Campaign, Application, Seat)}
    output.clear()
    demo.load_demo_data(echo=output.append, today=TODAY)
    after = {m: count(db, m) for m in before}
    assert after == before
    assert len(output) == 1 and "already" in output[0]


def test_passwords_not_echoed_when_not_shown(app, loaded, output, passwords):
    assert app.config["SHOW_DEMO_PASSWORDS"] is False
    assert len(passwords) == 4
    text = "\n".join(output)
    assert "assessors" in text
    assert "not shown" in text
    for password in passwords:
        assert password not in text


def test_passwords_echoed_once_when_shown(app, db, output, passwords, monkeypatch):
    monkeypatch.setitem(app.config, "SHOW_DEMO_PASSWORDS", True)
    demo.load_demo_data(echo=output.append, today=TODAY)
    text = "\n".join(output)
    users = db.session.scalars(db.select(User)).all()
    assert len(users) == len(passwords) == 4
    for user in users:
        line = next(line for line in output if user.email in line)
        shown = line.split()[-1]
        assert shown in passwords
        assert verify_password(user.password_hash, shown)
        assert text.count(shown) == 1
        assert password_problem(shown, email=user.email) is None


def test_generation_is_deterministic(db):
    employers = {e.name: e for e in db.session.scalars(db.select(demo.Employer))}

    def snapshot():
        rng = random.Random(demo.SEED)
        assessors = demo._assessors(rng, YEAR, employers)
        inspections = demo._inspections(rng, YEAR, employers)
        return (
            [(a.reference, a.name, a.email, a.specialisms, a.employer_id, a.home_area_id,
              [(g.status, g.total_days) for g in a.agreements],
              [(u.starts_on, u.ends_on) for u in a.unavailability]) for a in assessors],
            [(i.reference, i.title, i.working_days, i.mandatory_days,
              [(s.specialism, s.count, s.min_days, s.max_days) for s in i.seats]) for i in inspections],
        )

    assert snapshot() == snapshot()
    db.session.rollback()


def test_employer_domains_are_reserved():
    assert demo.employer_domain("Angus Council") == "angus-council.example"
    assert demo.employer_domain("The Highland Council") == "highland-council.example"
    assert demo.employer_domain("Barnardo's Scotland") == "barnardos-scotland.example"
    assert demo.employer_domain("Scottish Association for Mental Health (SAMH)") == "samh.example"
    for name in (*ref.COUNCILS, *ref.NHS_BOARDS, *(e.name for e in ref.NATIONAL_EMPLOYERS)):
        assert re.fullmatch(r"[a-z0-9-]+\.example", demo.employer_domain(name)), name


def test_in_development_the_demo_staff_have_two_step_set_up_and_a_command_prints_their_code(
        app, db, output, monkeypatch):
    monkeypatch.setitem(app.config, "DEVELOPMENT", True)
    monkeypatch.setitem(app.config, "SHOW_DEMO_PASSWORDS", True)
    demo.load_demo_data(echo=output.append, today=TODAY)
    users = db.session.scalars(db.select(User)).all()
    staff = [u for u in users if u.role != Role.ASSESSOR]
    assert len(staff) == 3 and all(u.mfa_enrolled_at and u.totp_secret for u in staff)
    assert all(u.mfa_enrolled_at is None for u in users if u.role == Role.ASSESSOR)
    assert "flask users totp EMAIL" in "\n".join(output)
    result = app.test_cli_runner().invoke(args=["users", "totp", staff[0].email])
    assert result.exit_code == 0, result.output
    assert pyotp.TOTP(staff[0].totp_secret).verify(result.output.strip(), valid_window=1)


def test_outside_development_demo_staff_set_up_their_own_app_and_no_command_prints_a_code(app, loaded, output):
    staff = loaded.session.scalars(loaded.select(User).where(User.role != Role.ASSESSOR.value)).all()
    assert staff and all(u.totp_secret is None and u.mfa_enrolled_at is None for u in staff)
    assert "flask users totp" not in "\n".join(output)
    staff[0].totp_secret, staff[0].mfa_enrolled_at = pyotp.random_base32(), TODAY
    loaded.session.commit()
    result = app.test_cli_runner().invoke(args=["users", "totp", staff[0].email])
    assert result.exit_code != 0 and "only in development" in result.output
