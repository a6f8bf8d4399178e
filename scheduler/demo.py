"""Demonstration data: a realistic year of associate assessors and joint inspections.

``flask demo load`` calls :func:`load_demo_data`. It fills a database that has been migrated
(areas and employers come from migration 0002) but has no assessors yet, and does nothing
otherwise. Everything except the demo users' passwords is a pure function of the seed and of
the current year, so two databases loaded in the same year look the same.

The year loaded is the calendar year that starts next January (the programme being planned),
with one closed recruitment campaign from the year before it and no open campaign.
"""
from __future__ import annotations

import random
import re
import secrets
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from flask import current_app

from scheduler import reference as ref
from scheduler.auth import mfa
from scheduler.auth.passwords import hash_password, password_problem
from scheduler.extensions import db
from scheduler.models import (
    MAX_DEPLOYMENT_DAYS,
    AgreementStatus,
    Application,
    ApplicationStatus,
    Area,
    Assessor,
    AssessorStatus,
    Campaign,
    Employer,
    EmployerAgreement,
    Inspection,
    InspectionDay,
    InspectionStatus,
    InspectionType,
    Role,
    Seat,
    Unavailability,
    User,
    utcnow,
)
from scheduler.workdays import working_days

SEED = 2027
N_ASSESSORS = 200
DEMO_DOMAIN = "demo.example"
DEMO_USERS: tuple[tuple[Role, str], ...] = (
    (Role.ADMIN, f"admin@{DEMO_DOMAIN}"),
    (Role.COORDINATOR, f"coordinator@{DEMO_DOMAIN}"),
    (Role.INSPECTOR, f"inspector@{DEMO_DOMAIN}"),
    (Role.ASSESSOR, f"assessor@{DEMO_DOMAIN}"),
)

# Children-heavy, as the programme is; about one in five assessors holds a second specialism.
SPECIALISM_WEIGHTS = {"children": 50, "adults": 30, "justice": 20}
SECOND_SPECIALISM_SHARE = 0.20
STATUTORY_SHARE = 0.65

# 24 inspections: 22 in council areas and two national thematic reviews.
INSPECTION_MIX = {"children": 10, "adults": 7, "justice": 5, "thematic": 2}

CARE_INSPECTORATE = "Care Inspectorate"
EDUCATION_SCOTLAND = "Education Scotland"
HIS = "Healthcare Improvement Scotland"
HMICS = "HM Inspectorate of Constabulary in Scotland"
PARTNER_BODIES = {
    "children": [CARE_INSPECTORATE, EDUCATION_SCOTLAND, HIS, HMICS],
    "adults": [CARE_INSPECTORATE, HIS, HMICS],
    "justice": [CARE_INSPECTORATE],
}
# Each thematic topic: the specialisms it needs and the bodies that join the Care Inspectorate.
THEMATIC: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "services for children and young people in secure care": (("children", "justice"), (EDUCATION_SCOTLAND, HIS)),
    "transitions for young people leaving care": (("children", "adults"), (EDUCATION_SCOTLAND, HIS)),
    "community payback orders": (("justice",), ()),
    "mental health support for adults in the justice system": (("adults", "justice"), (HIS, HMICS)),
    "multi-agency public protection arrangements": (("justice", "adults"), (HMICS,)),
    "care-experienced young people in the justice system": (("children", "justice"), (EDUCATION_SCOTLAND, HMICS)),
}

# Memorable words for demo passwords: four chosen with `secrets` give 4 * log2(len) bits.
WORDS: tuple[str, ...] = (
    "anchor", "apple", "badger", "barley", "beacon", "birch", "bramble", "breeze", "bridge",
    "bucket", "cabin", "candle", "canoe", "castle", "cedar", "cherry", "cliff", "clover", "comet",
    "copper", "coral", "cotton", "crane", "creek", "curlew", "dahlia", "dolphin", "dune", "eagle",
    "ember", "falcon", "fern", "ferry", "fiddle", "finch", "fjord", "forest", "fossil", "gannet",
    "garnet", "glen", "granite", "gravel", "harbour", "hazel", "heron", "hollow", "island", "ivory",
    "jacket", "juniper", "kelp", "kestrel", "kettle", "lantern", "larch", "lemon", "lichen",
    "lighthouse", "linen", "loch", "lupin", "maple", "marble", "meadow", "mitten", "moss", "moor",
    "nutmeg", "oak", "orchard", "osprey", "otter", "paddle", "pebble", "pepper", "pine", "plover",
    "pony", "porridge", "puffin", "quartz", "quill", "rabbit", "raven", "reed", "ribbon", "river",
    "robin", "rowan", "saddle", "salmon", "sandal", "scone", "shell", "shore", "sketch", "slate",
    "sparrow", "spruce", "stone", "summit", "swallow", "thistle", "timber", "tweed", "valley",
    "velvet", "violet", "walnut", "whisk", "willow", "wren", "yarrow",
)

Echo = Callable[[str], None]


# --------------------------------------------------------------------------- helpers


def _slug(text: str) -> str:
    text = text.lower().replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def employer_domain(name: str) -> str:
    """A made-up mail domain for an employer, always under the reserved ``.example`` TLD."""
    acronym = re.search(r"\(([A-Z]{2,})\)", name)
    if acronym:
        return f"{acronym.group(1).lower()}.example"
    slug = _slug(name)
    slug = slug.removeprefix("the-")
    return f"{slug}.example"


def _local_part(name: str) -> str:
    first, _, surname = name.partition(" ")
    return re.sub(r"[^a-z.\-]", "", f"{first}.{surname}".lower())


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _between(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randrange((hi - lo).days + 1))




def _weighted_sample(rng: random.Random, items: Sequence, weights: Sequence[float], k: int) -> list:
    """k distinct items, heavier ones more likely (Efraimidis–Spirakis)."""
    keyed = sorted(((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)), reverse=True)
    return [items[i] for _, i in keyed[:k]]


def _name(rng: random.Random) -> str:
    while True:
        first, surname = rng.choice(ref.FIRST_NAMES), rng.choice(ref.SURNAMES)
        if first != surname:  # no "Ross Ross"
            return f"{first} {surname}"


def _phone(rng: random.Random) -> str:
    # Ofcom reserves 07700 900000-900999 for drama: never a real person's number.
    return f"07700 900{rng.randrange(1000):03d}"


def _password(email: str) -> str:
    while True:
        password = "-".join(secrets.choice(WORDS) for _ in range(4))
        if password_problem(password, email=email) is None:
            return password


# --------------------------------------------------------------------------- assessors


def _specialisms(rng: random.Random) -> list[str]:
    names = list(SPECIALISM_WEIGHTS)
    first = rng.choices(names, weights=[SPECIALISM_WEIGHTS[n] for n in names])[0]
    chosen = [first]
    if rng.random() < SECOND_SPECIALISM_SHARE:
        others = [n for n in names if n != first]
        chosen.append(rng.choices(others, weights=[SPECIALISM_WEIGHTS[n] for n in others])[0])
    return chosen  # main specialism first


def _statutory_employer(rng: random.Random, title: str, home: ref.CouncilArea) -> str:
    """The employer a statutory title implies: police, reporter and prison posts are national."""
    if "Detective" in title:
        return "Police Scotland"
    if "Reporter" in title:
        return "Scottish Children's Reporter Administration"
    if "Offender Outcomes" in title:
        return "Scottish Prison Service"
    if "Nurs" in title or "Health Visiting" in title:
        return home.nhs_board
    if "Mental Health" in title or "Psycholog" in title:
        return home.nhs_board if rng.random() < 0.6 else home.council
    return home.council


EXPERIENCE_OPENERS = (
    "{years} years in {field}, the last {senior} at a strategic level.",
    "Has worked in {field} for {years} years and has held strategic responsibility for {senior} years.",
    "Brings {years} years' experience of {field}, including {senior} years in senior leadership.",
)
FIELDS = {
    "children": ("children and families social work", "child protection", "children's services"),
    "adults": ("adult social care", "adult support and protection", "health and social care"),
    "justice": ("justice social work", "community justice", "public protection"),
}
EXPERIENCE = {
    "children": (
        "Chairs the quality assurance subgroup of the child protection committee in {area}.",
        "Led the redesign of early help and family support across {area}, with partners in health and education.",
        "Oversees inter-agency referral discussions and the local implementation of the National Guidance for "
        "Child Protection.",
        "Has led self-evaluation of services for care-experienced children and young people against The Promise.",
        "Responsible for corporate parenting and the local Bairns' Hoose development.",
    ),
    "adults": (
        "Leads adult support and protection practice and case file audit across {area}.",
        "Chaired large-scale investigations in care homes and led the improvement plans that followed.",
        "Responsible for mental health officer services and the local response to the Adults with Incapacity Act.",
        "Led the integration of community health and social care teams for older people in {area}.",
        "Has led multi-agency self-evaluation for the adult protection committee.",
    ),
    "justice": (
        "Manages community payback orders, diversion from prosecution and throughcare in {area}.",
        "Represents the service at MAPPA strategic oversight group level.",
        "Led the local community justice outcomes improvement plan with partners in {area}.",
        "Oversees risk assessment and management of people convicted of serious offences.",
        "Developed bail supervision and structured deferred sentence services with the sheriff court.",
    ),
}
THIRD_SECTOR = (
    "Works in partnership with several councils and health boards to commission and evaluate services.",
    "Leads the organisation's participation work with people who use its services.",
    "Responsible for practice standards and quality assurance across the organisation's Scottish services.",
)


def _experience(rng: random.Random, specialisms: list[str], sector: str, area_name: str) -> str:
    main = specialisms[0]
    years = rng.randint(14, 32)
    sentences = [
        rng.choice(EXPERIENCE_OPENERS).format(
            years=years, senior=rng.randint(4, min(15, years - 8)), field=rng.choice(FIELDS[main]),
        ),
        rng.choice(EXPERIENCE[main]).format(area=area_name),
    ]
    if len(specialisms) > 1:
        sentences.append(rng.choice(EXPERIENCE[specialisms[1]]).format(area=area_name))
    elif sector == "third":
        sentences.append(rng.choice(THIRD_SECTOR))
    return " ".join(sentences)


def _agreements(
    rng: random.Random, employer: Employer, year: int, contact: tuple[str, str]
) -> list[EmployerAgreement]:
    """Most employers have agreed a release for the year; some are asked, a few said no.

    The demo is loaded during the year before the one planned, so an agreement for this calendar
    year is still running (agreed, until 31 December) and only one for the year before has ended."""
    name, email = contact
    per = rng.randint(6, 10)
    total = max(per, rng.choice([8, 10, 12, 12, 16, 16, 18, 20, 24]))

    # The made-up contacts are on .example domains, no employer's: the demo has them confirmed.
    def agreement(status: AgreementStatus, start: date, end: date, **kw) -> EmployerAgreement:
        return EmployerAgreement(
            employer_id=employer.id, contact_name=name, contact_email=email,
            days_per_deployment=per, total_days=total, valid_from=start, valid_to=end,
            status=status.value, contact_verified_at=datetime(year - 1, 9, 1), **kw,
        )

    year_start, year_end = date(year, 1, 1), date(year, 12, 31)
    asked = datetime(year - 1, rng.randint(9, 11), rng.randint(1, 28), rng.randint(9, 16))
    answered = asked + timedelta(days=rng.randint(3, 30))
    this_year = agreement(AgreementStatus.AGREED, date(year - 1, 1, 1), date(year - 1, 12, 31),
                          responded_at=asked - timedelta(days=365))
    r = rng.random()
    if r < 0.76:
        out = [agreement(AgreementStatus.AGREED, year_start, year_end, responded_at=answered)]
        if rng.random() < 0.3:  # in the pool this year too: listed first, so next year's is the newest
            out.insert(0, this_year)
        return out
    if r < 0.88:
        return [agreement(AgreementStatus.REQUESTED, year_start, year_end)]
    if r < 0.94:
        reason = rng.choice((
            "Service restructure in the first half of the year: we cannot release senior staff.",
            "Vacancies in the management team mean we cannot support release this year.",
            "We can look again after the inspection of our own services is complete.",
        ))
        return [agreement(AgreementStatus.DECLINED, year_start, year_end, responded_at=answered,
                          decline_reason=reason)]
    # An agreement that ran out last December, and no new one has been asked for yet.
    return [agreement(AgreementStatus.EXPIRED, date(year - 2, 1, 1), date(year - 2, 12, 31),
                      responded_at=asked - timedelta(days=730))]


def _unavailability(rng: random.Random, year: int) -> list[Unavailability]:
    ranges: list[tuple[date, date, str]] = []
    if rng.random() < 0.75:  # a summer fortnight (school holidays run late June to mid August)
        s = _monday(_between(rng, date(year, 6, 28), date(year, 8, 2)))
        ranges.append((s, s + timedelta(days=rng.choice([4, 11, 11, 11])), "Annual leave"))
    for lo, hi in ((date(year, 10, 4), date(year, 10, 18)),
                   (date(year, 3, 29), date(year, 4, 12)),
                   (date(year, 2, 8), date(year, 2, 15))):
        if rng.random() < 0.3:
            s = _monday(_between(rng, lo, hi))
            ranges.append((s, s + timedelta(days=4), "Annual leave"))
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        d = _between(rng, date(year, 1, 11), date(year, 12, 10))
        if d.weekday() < 5:
            ranges.append((d, d, rng.choice(("Training", "Court", "Committee meeting",
                                                 "Budget setting", "Conference"))))
    if rng.random() < 0.06:
        s = _monday(_between(rng, date(year, 1, 11), date(year, 11, 1)))
        ranges.append((s, s + timedelta(days=rng.choice([11, 25, 39])),
                       rng.choice(("Leading a service review", "Leave", "Secondment"))))
    ranges.sort()
    merged: list[list] = []
    for start, end, reason in ranges:
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, reason])
    return [Unavailability(starts_on=s, ends_on=e, reason=r) for s, e, r in merged]


def _assessors(
    rng: random.Random, year: int, employers: dict[str, Employer]
) -> list[Assessor]:
    areas = ref.COUNCIL_AREAS
    population = [a.population for a in areas]
    used_names: set[str] = set()
    used_emails: set[str] = set()

    def person() -> str:
        while True:
            name = _name(rng)
            if name not in used_names:
                used_names.add(name)
                return name

    out = []
    for k in range(1, N_ASSESSORS + 1):
        specialisms = _specialisms(rng)
        main = specialisms[0]
        sector = "statutory" if rng.random() < STATUTORY_SHARE else "third"
        home = rng.choices(areas, weights=population)[0]
        title = rng.choice(ref.job_titles_for(main, sector))
        if sector == "statutory":
            employer_name = _statutory_employer(rng, title, home)
        else:
            employer_name = rng.choice(ref.national_employers_for(main, "third")).name
        employer = employers[employer_name]
        domain = employer_domain(employer_name)
        name = person()
        email = f"{_local_part(name)}@{domain}"
        n = 2
        while email in used_emails:
            email = f"{_local_part(name)}{n}@{domain}"
            n += 1
        used_emails.add(email)
        manager = person()
        status = rng.choices(
            [AssessorStatus.ACTIVE, AssessorStatus.PAUSED, AssessorStatus.LEFT], weights=[94, 4, 2]
        )[0]
        assessor = Assessor(
            reference=f"A{k:05d}",
            name=name,
            email=email,
            phone=_phone(rng),
            sector=sector,
            employer_id=employer.id,
            job_title=title,
            strategic_experience=_experience(rng, specialisms, sector, home.name),
            home_area_id=home.id,
            status=status.value,
        )
        assessor.specialisms = specialisms
        assessor.agreements = _agreements(rng, employer, year, (manager, f"{_local_part(manager)}@{domain}"))
        assessor.unavailability = _unavailability(rng, year)
        out.append(assessor)
    return out


# --------------------------------------------------------------------------- inspections


def _seat(rng: random.Random, specialism: str, count: int, n_mandatory: int) -> Seat:
    # Everyone on the team attends the mandatory days, so a seat's minimum covers them.
    min_days = min(max(rng.choice([4, 4, 5, 6, 6]), n_mandatory), MAX_DEPLOYMENT_DAYS)
    max_days = max(rng.choice([8, 8, 10, 10, 12]), min_days)
    return Seat(specialism=specialism, count=count, min_days=min_days, max_days=max_days)


def _inspections(
    rng: random.Random, year: int, employers: dict[str, Employer]
) -> list[Inspection]:
    first_monday = _monday(date(year, 1, 4)) + timedelta(weeks=1)  # after the New Year holidays
    last_end = date(year, 12, 17)
    kinds = [k for k, n in INSPECTION_MIX.items() for _ in range(n)]
    rng.shuffle(kinds)
    n_local = sum(1 for k in kinds if k != "thematic")
    areas = _weighted_sample(rng, ref.COUNCIL_AREAS, [a.population ** 0.5 for a in ref.COUNCIL_AREAS],
                             n_local)
    topics = rng.sample(list(THEMATIC), INSPECTION_MIX["thematic"])

    # Starts spread evenly over the year (with a little jitter) so that a few run at once.
    weeks = [rng.randint(6, 10) for _ in kinds]
    latest_start = _monday(last_end - timedelta(weeks=10))
    span_weeks = (latest_start - first_monday).days // 7
    out = []
    for i, kind in enumerate(kinds):
        slot = round(i * span_weeks / (len(kinds) - 1)) + rng.choice([-1, 0, 0, 1])
        start = first_monday + timedelta(weeks=min(max(slot, 0), span_weeks))
        end = start + timedelta(weeks=weeks[i], days=-3)  # ends on a Friday
        days = working_days(start, end)
        # Briefing on the first working day; the fieldwork week about two thirds of the way in.
        fieldwork_monday = start + timedelta(weeks=max(2, (2 * weeks[i]) // 3 - 1))
        fieldwork = [d for d in days if fieldwork_monday <= d <= fieldwork_monday + timedelta(days=4)]
        mandatory = {days[0], *fieldwork}
        if kind == "thematic":
            topic = topics.pop()
            specialisms, partners = THEMATIC[topic]
            inspection = Inspection(
                title=ref.INSPECTION_TYPES["thematic"].format(topic=topic),
                type=InspectionType.THEMATIC.value,
                area_id=None,
                partner_bodies=[CARE_INSPECTORATE, *partners],
            )
            seats = [_seat(rng, s, rng.randint(1, 2), len(mandatory)) for s in specialisms]
        else:
            area = areas.pop()
            inspection = Inspection(
                title=ref.INSPECTION_TYPES[kind].format(area=area.name),
                type=InspectionType(kind).value,
                area_id=area.id,
                partner_bodies=list(PARTNER_BODIES[kind]),
            )
            inspection.excluded_employers = [employers[e] for e in ref.excluded_employers_for(area.id)]
            seats = [_seat(rng, kind, rng.randint(2, 3), len(mandatory))]
            for other in ref.SPECIALISMS:
                if other != kind and rng.random() < 0.35:
                    seats.append(_seat(rng, other, 1, len(mandatory)))
        inspection.starts_on = days[0]
        inspection.ends_on = days[-1]
        inspection.status = InspectionStatus.PLANNED.value
        inspection.days = [InspectionDay(day=d, mandatory=d in mandatory) for d in days]
        inspection.seats = sorted(seats, key=lambda s: ref.SPECIALISMS.index(s.specialism))
        out.append(inspection)
    out.sort(key=lambda i: (i.starts_on, i.title))
    for k, inspection in enumerate(out, start=1):  # numbered in date order, as a programme is
        inspection.reference = f"I{k:04d}"
    return out


# --------------------------------------------------------------------------- recruitment


def _recruitment(rng: random.Random, year: int, assessors: list[Assessor],
                 employers_by_id: dict[int, Employer]) -> tuple[Campaign, list[Application]]:
    last = year - 1
    campaign = Campaign(
        title=f"Associate assessor recruitment {last}",
        description=(
            "We are looking for strategic-level practitioners from statutory and third-sector "
            "services for children, adults and justice to join joint inspection teams for 4 to 12 "
            "days at a time, with their employer's agreement."
        ),
        opens_on=date(last, 2, 2),
        closes_on=date(last, 3, 13),
        is_open=False,
    )
    campaign.specialisms = ["children", "adults", "justice"]

    def submitted() -> datetime:
        day = _between(rng, date(last, 2, 2), date(last, 3, 13))
        return datetime(day.year, day.month, day.day, rng.randint(8, 21), rng.randint(0, 59))

    applications = []
    # Three admitted applicants became assessors (the last references, the newest in the pool).
    for a in assessors[-3:]:
        employer = employers_by_id[a.employer_id]
        agreement = a.agreements[0]
        applications.append(dict(
            name=a.name, email=a.email, phone=a.phone, home_area_id=a.home_area_id,
            employer_name=employer.name, job_title=a.job_title, sector=a.sector,
            specialisms=list(a.specialisms), experience=a.strategic_experience,
            contact=(agreement.contact_name, agreement.contact_email),
            status=ApplicationStatus.ADMITTED, assessor=a,
        ))
    used = {a.name for a in assessors}
    others = [
        (ApplicationStatus.SHORTLISTED, None),
        (ApplicationStatus.SHORTLISTED, None),
        (ApplicationStatus.SUBMITTED, None),
        (ApplicationStatus.REJECTED, "Your current role is operational rather than strategic: "
                                     "we would welcome an application once you hold a strategic post."),
        (ApplicationStatus.REJECTED, "Your employer told us they could not support release this year."),
    ]
    for status, reason in others:
        while (name := _name(rng)) in used:
            pass
        used.add(name)
        specialisms = _specialisms(rng)
        sector = "statutory" if rng.random() < STATUTORY_SHARE else "third"
        home = rng.choices(ref.COUNCIL_AREAS, weights=[a.population for a in ref.COUNCIL_AREAS])[0]
        title = rng.choice(ref.job_titles_for(specialisms[0], sector))
        employer_name = (_statutory_employer(rng, title, home) if sector == "statutory"
                         else rng.choice(ref.national_employers_for(specialisms[0], "third")).name)
        domain = employer_domain(employer_name)
        manager = _name(rng)
        applications.append(dict(
            name=name, email=f"{_local_part(name)}@{domain}", phone=_phone(rng), home_area_id=home.id,
            employer_name=employer_name, job_title=title, sector=sector, specialisms=specialisms,
            experience=_experience(rng, specialisms, sector, home.name),
            contact=(manager, f"{_local_part(manager)}@{domain}"),
            status=status, reason=reason, assessor=None,
        ))
    rows = []
    rng.shuffle(applications)
    for k, a in enumerate(applications, start=1):
        at = submitted()
        row = Application(
            reference=f"APP{last}-{k:03d}",
            campaign=campaign,
            name=a["name"], email=a["email"], phone=a["phone"], home_area_id=a["home_area_id"],
            employer_name=a["employer_name"], job_title=a["job_title"], sector=a["sector"],
            applies_children="children" in a["specialisms"],
            applies_adults="adults" in a["specialisms"],
            applies_justice="justice" in a["specialisms"],
            strategic_experience=a["experience"],
            employer_contact_name=a["contact"][0], employer_contact_email=a["contact"][1],
            conflicts_declared=rng.choice(["", "", "", "A close relative works in the council's "
                                                   "social work department."]),
            privacy_consent=True,
            status=a["status"].value,
            rejection_reason=a.get("reason"),
            assessor=a["assessor"],
            submitted_at=at,
            created_at=at,
        )
        rows.append(row)
    return campaign, rows


# --------------------------------------------------------------------------- users


def _users(assessor: Assessor) -> tuple[list[User], dict[str, str]]:
    users, passwords = [], {}
    for role, email in DEMO_USERS:
        if db.session.scalar(db.select(User.id).filter_by(email=email)) is not None:
            continue
        password = _password(email)
        user = User(email=email, role=role.value, password_hash=hash_password(password), active=True)
        if current_app.config.get("DEVELOPMENT") and user.role in mfa.STAFF:
            # Set up already, so a newcomer needs no phone: `flask users totp EMAIL` prints the code.
            mfa.begin_setup(user)
            user.mfa_enrolled_at = utcnow()
        if role is Role.ASSESSOR:
            assessor.email = email
            assessor.user = user
        users.append(user)
        passwords[email] = password
    return users, passwords


def _demo_assessor(assessors: list[Assessor]) -> Assessor:
    """An active children's assessor with an agreed release: the richest screens to look at."""
    for a in assessors[:-3]:  # not one of the admitted applicants, whose email is on an application
        if (a.status == AssessorStatus.ACTIVE and a.holds_children
                and any(g.status == AgreementStatus.AGREED for g in a.agreements) and a.unavailability):
            return a
    return assessors[0]


# --------------------------------------------------------------------------- entry point


def load_demo_data(echo: Echo = print, *, today: date | None = None) -> None:
    """Fill an empty, migrated database with a realistic year; do nothing if it has assessors."""
    began = time.perf_counter()
    if db.session.scalar(db.select(Assessor.id).limit(1)) is not None:
        echo("The database already has assessors: demo data not loaded.")
        return
    if db.session.scalar(db.select(Area.id).limit(1)) is None:
        echo("The database has no council areas. Run `flask db upgrade` first, then `flask demo load`.")
        return
    employers = {e.name: e for e in db.session.scalars(db.select(Employer))}
    needed = set(ref.COUNCILS) | set(ref.NHS_BOARDS) | {e.name for e in ref.NATIONAL_EMPLOYERS}
    missing = sorted(needed - employers.keys())
    if missing:
        echo(f"The database is missing {len(missing)} employers (for example {missing[0]!r}). "
             "Run `flask db upgrade` first, then `flask demo load`.")
        return

    year = (today or date.today()).year + 1
    rng = random.Random(SEED)
    assessors = _assessors(rng, year, employers)
    inspections = _inspections(rng, year, employers)
    campaign, applications = _recruitment(rng, year, assessors, {e.id: e for e in employers.values()})
    demo_assessor = _demo_assessor(assessors)
    users, passwords = _users(demo_assessor)

    db.session.add_all(users)
    db.session.add_all(assessors)
    db.session.add_all(inspections)
    db.session.add(campaign)
    db.session.add_all(applications)
    # The summary is worked out before the commit expires every object it would reload.
    agreed = sum(1 for a in assessors for g in a.agreements
                 if g.status == AgreementStatus.AGREED and g.valid_from.year == year)
    summary = [
        f"  {len(assessors)} assessors ({agreed} with a release agreed for {year}), "
        f"{sum(len(a.agreements) for a in assessors)} employer agreements, "
        f"{sum(len(a.unavailability) for a in assessors)} periods of unavailability",
        f"  {len(inspections)} inspections ({sum(1 for i in inspections if i.area_id is None)} national "
        f"thematic) needing {sum(s.count for i in inspections for s in i.seats)} assessors, "
        f"{sum(len(i.days) for i in inspections)} inspection days",
        f"  1 closed recruitment campaign ({campaign.title}) with {len(applications)} applications; "
        "no campaign is open",
    ]
    accounts = [(Role(u.role).label, u.email) for u in users]
    db.session.commit()

    echo(f"Loaded demo data for {year} in {time.perf_counter() - began:.1f} s:")
    for line in summary:
        echo(line)
    if not accounts:
        echo("  The demo accounts already existed: left as they were.")
    elif current_app.config.get("SHOW_DEMO_PASSWORDS"):
        echo("  Demo accounts (these passwords are shown once and not stored anywhere):")
        for label, email in accounts:
            echo(f"    {label:<20} {email:<28} {passwords[email]}")
        if current_app.config.get("DEVELOPMENT") and any(r != Role.ASSESSOR.label for r, _ in accounts):
            echo("  Staff accounts also enter a security code after the password. In development, print the "
                 "code their authenticator app would show with: flask users totp EMAIL")
    else:
        echo(f"  {len(accounts)} demo accounts created ({', '.join(e for _, e in accounts)}); "
             "their random passwords were not shown (SHOW_DEMO_PASSWORDS is off).")
