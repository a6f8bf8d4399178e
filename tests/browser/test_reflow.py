"""Every page of the journeys on a phone (WCAG 2.2 AA): at 375 × 812 nothing scrolls sideways
(1.4.10 reflow) apart from a data table in its own labelled, keyboard-focusable scroll region
(2.1.1), axe is clean there, every link and button is a target of at least 24 × 24 px or has room
round it (2.5.8), and nothing fixed or sticky can cover the focus (2.4.11). A subset is checked
again with the text at 200% (1.4.4) and with the text-spacing overrides of 1.4.12, and by keyboard:
every Tab stop shows its focus (2.4.7) and is not hidden (2.4.11).

The pages are the list PAGES below: add a page by adding a Visit. The records they show are the
demo data (`flask demo load`: 200 assessors, a year of inspections) plus what `_arrange` adds."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from scheduler.auth.passwords import password_state
from scheduler.demo import load_demo_data
from scheduler.extensions import db
from scheduler.links import make_token
from scheduler.mail import send_mail
from scheduler.models import Application, Assessor, Inspection, SolveRun, User, utcnow
from tests import factories as f
from tests.browser.conftest import database_of_its_own, security_code

PHONE = {"width": 375, "height": 812}
LINK_NAME = "Sign-in link for Fife"


@dataclass(frozen=True)
class Visit:
    """One page: who is signed in, how to get there (a path, or a step from the page before), and
    its h1. Paths and headings are formatted with the arranged records (see _arrange)."""
    who: str            # a role, "anyone" (signed out), or "halfway" (staff between password and code)
    go: str | Callable  # a path, or go(page, records) -> Response for a page reached by a button
    h1: str             # ending in "…": the heading starts with the text before it
    status: int = 200
    big_text: bool = False  # also checked with the text at 200% and with 1.4.12's text spacing

    @property
    def name(self) -> str:
        return self.go if isinstance(self.go, str) else self.go.__name__


def _press(name: str, *, record: str | None = None):
    """A step that presses the button (or link) called name and, if record is given, keeps the id
    at the end of the address it lands on as that record, for the visits after it."""
    def step(page, records):
        label = name.format(**records)
        target = page.get_by_role("button", name=label).or_(page.get_by_role("link", name=label)).first
        with page.expect_navigation() as landed:
            target.click()
        if record:
            records[record] = re.search(r"(\d+)$", page.url.split("?")[0]).group(1)
        return landed.value
    step.__name__ = f"press {name!r}"
    return step


def _build_one_inspection(page, records):
    page.locator(f"input[name=inspections][value={records['build_ref']}]").check()
    with page.expect_navigation() as landed:
        page.get_by_role("button", name="Build teams").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teams built", timeout=30_000)
    records["run"] = re.search(r"/teams/runs/(\d+)", page.url).group(1)
    return landed.value


def _build_variant(page, records):
    """From the variant form: another order of aims (any the build did not use), built."""
    page.locator("input[name=aims]:not(:checked)").first.check()
    with page.expect_navigation() as landed:
        page.get_by_role("button", name="Build the variant").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Variant: teams built", timeout=30_000)
    records["variant"] = re.search(r"/teams/runs/(\d+)", page.url).group(1)
    return landed.value


def _create_partner_link(page, records):
    page.get_by_label("Partnership (council area)").select_option(label="Fife")
    page.get_by_label("Partnership contact's email address").fill("cpc.reflow@fife.test.example")
    with page.expect_navigation() as landed:
        page.get_by_role("button", name="Create and send link").click()
    return landed.value


PAGES: list[Visit] = [
    # Applicants and the public
    Visit("anyone", "/", "Associate assessors for joint inspections", big_text=True),
    Visit("anyone", "/become-an-associate-assessor", "Become an associate assessor", big_text=True),
    Visit("anyone", "/become-an-associate-assessor/what-it-involves", "What the role involves"),
    Visit("anyone", "/become-an-associate-assessor/benefits", "Benefits for you and your employer"),
    Visit("anyone", "/become-an-associate-assessor/questions", "Questions about the role"),
    Visit("anyone", "/become-an-associate-assessor/code-of-practice", "Code of practice for associate assessors"),
    Visit("anyone", "/become-an-associate-assessor/apply", "Apply to become an associate assessor"),
    Visit("anyone", "/become-an-associate-assessor/apply/about-you", "About you", big_text=True),
    Visit("anyone", "/become-an-associate-assessor/apply/where-you-live", "Which council area do you live in?"),
    Visit("anyone", "/become-an-associate-assessor/apply/your-job", "Your job"),
    Visit("anyone", "/become-an-associate-assessor/apply/specialisms", "Which areas of practice are you applying for?"),
    Visit("anyone", "/become-an-associate-assessor/apply/experience", "Describe your strategic experience"),
    Visit("anyone", "/become-an-associate-assessor/apply/employer-contact",
          "Who at your employer can agree your release?"),
    Visit("anyone", "/become-an-associate-assessor/apply/conflicts", "Conflicts of interest"),
    Visit("anyone", "/become-an-associate-assessor/apply/privacy", "Privacy"),
    Visit("anyone", "/accessibility", "Accessibility statement"),
    Visit("anyone", "/privacy", "Privacy notice"),
    Visit("anyone", "/cookies", "Cookies"),
    Visit("anyone", "/sign-in", "Sign in", big_text=True),
    Visit("anyone", "/set-password/{invitation}", "Create a password"),
    Visit("anyone", "/forgotten-password", "Reset your password"),
    Visit("anyone", "/forgotten-password/sent", "Check your email"),
    Visit("anyone", "/reset-password/{reset}", "Create a new password"),
    # Employers, from the links emailed to them
    Visit("anyone", "/employer/{agreement_token}", "Release {agreement_assessor} for joint inspections"),
    Visit("anyone", "/employer/{deployment_token}", "Confirm {assessor_name}'s release for an inspection",
          big_text=True),
    Visit("anyone", "/employer/answered/agreed", "Thank you: your agreement has been sent"),
    Visit("anyone", "/employer/answered/declined", "Thank you: your answer has been sent"),
    Visit("anyone", "/employer/not-a-real-link", "This link is not valid", status=404),
    # Partners, from their sign-in link
    Visit("anyone", "/notifications/partner/{partner_token}", "What are you notifying?"),
    Visit("anyone", "/notifications/partner/{partner_token}/looked_after_death",
          "Death of a looked-after child or young person", big_text=True),
    # Two-step sign-in
    Visit("halfway", "/sign-in/security-code", "Enter your security code", big_text=True),
    Visit("halfway", "/sign-in/recovery-code", "Enter a recovery code"),
    Visit("new staff", "/sign-in/set-up-two-step", "Set up two-step sign-in", big_text=True),
    # Assessors
    Visit("assessor", "/my", "My deployments", big_text=True),
    Visit("assessor", "/my/deployments", "Your deployments"),
    Visit("assessor", "/my/deployments/{deployment}", "{inspection_title}", big_text=True),
    Visit("assessor", "/my/availability", "Your availability", big_text=True),
    Visit("assessor", "/my/availability/add", "Add a time you are unavailable"),
    Visit("assessor", "/my/availability/{unavailability}", "Change a time you are unavailable"),
    Visit("assessor", "/my/availability/{unavailability}/remove", "Remove this time you are unavailable"),
    Visit("assessor", "/my/profile", "Your profile"),
    Visit("assessor", "/my/profile/contact", "Your contact details"),
    Visit("assessor", "/my/profile/employer", "Your employer and job title"),
    Visit("assessor", "/my/profile/specialisms", "Your specialisms"),
    Visit("assessor", "/account/two-step-sign-in", "Set up two-step sign-in"),
    Visit("assessor", "/account/password", "Change your password"),
    # Coordinators
    Visit("coordinator", "/", "Your work"),
    Visit("coordinator", "/dashboard", "What needs you", big_text=True),
    Visit("coordinator", "/assessors", "Assessors", big_text=True),
    Visit("coordinator", "/assessors?q=a&available_from=1&available_from-month=3&available_from-year=2027"
                         "&available_to=31&available_to-month=3&available_to-year=2027", "Assessors"),
    Visit("coordinator", "/assessors/{assessor}", "{assessor_name}", big_text=True),
    Visit("coordinator", "/assessors/{assessor}/details", "Change {assessor_name}'s details"),
    Visit("coordinator", "/assessors/{assessor}/status", "Change {assessor_name}'s status"),
    Visit("coordinator", "/assessors/{assessor}/unavailability/add", "Record a time {assessor_name} is unavailable"),
    Visit("coordinator", "/assessors/{assessor}/unavailability/{unavailability}/remove",
          "Remove the time {assessor_name} is unavailable"),
    Visit("coordinator", "/assessors/import", "Import assessors from a CSV file"),
    Visit("coordinator", "/inspections?year=2027", "Inspection programme 2027", big_text=True),
    Visit("coordinator", "/inspections/new", "Add an inspection"),
    Visit("coordinator", "/inspections/{inspection}", "{inspection_title}"),
    Visit("coordinator", "/inspections/{inspection}/edit", "Edit {inspection_ref}"),
    Visit("coordinator", "/employer/contacts", "Employer contacts to confirm"),
    Visit("coordinator", "/teams/", "Team builder", big_text=True),
    Visit("coordinator", _build_one_inspection, "Teams built on …", big_text=True),
    Visit("coordinator", "/teams/runs/{run}/seats/{build_ref}/children", "{build_ref} Children and young people seat"),
    Visit("coordinator", "/teams/runs/{run}/variant", "Build a variant of build {run}"),
    Visit("coordinator", _build_variant, "Variant: teams built on …"),
    Visit("coordinator", "/teams/runs/{run}/compare?other={variant}", "Compare build {run} with another build"),
    Visit("coordinator", "/teams/runs/{run}", "Teams built on …"),
    Visit("coordinator", _press("Check and publish"), "Check before publishing"),
    Visit("coordinator", _press("Publish these teams"), "Published plan version 2"),
    Visit("coordinator", "/teams/published", "Published teams"),
    # Recruitment admins
    Visit("admin", "/recruitment", "Recruitment campaigns", big_text=True),
    Visit("admin", "/recruitment/campaigns/new", "Create a campaign"),
    Visit("admin", "/recruitment/campaigns/{campaign}/edit", "Edit campaign"),
    Visit("admin", "/recruitment/applications", "Applications", big_text=True),
    Visit("admin", "/recruitment/applications/{application}", "Application {application_ref}"),
    Visit("admin", "/recruitment/applications/{application}/admit", "Admit {application_name}"),
    Visit("admin", "/recruitment/outbox", "Outbox"),
    Visit("admin", "/recruitment/outbox/{message}", "{message_subject}"),
    Visit("admin", "/teams/policy", "Planning policy"),
    Visit("admin", "/accounts", "Accounts and two-step sign-in"),
    Visit("admin", "/personal-data", "Personal data", big_text=True),
    Visit("admin", "/personal-data?q={assessor_name}", "Personal data"),
    Visit("admin", _press("{assessor_name}"), "{assessor_name} (Associate assessor)", big_text=True),
    Visit("admin", _press("Correct their details"), "Correct {assessor_name}'s details"),
    Visit("admin", _press("Back"), "{assessor_name} (Associate assessor)"),
    Visit("admin", _press("Erase their details"), "Erase {assessor_name}'s personal details"),
    # Strategic inspectors
    Visit("inspector", "/notifications", "Notifications register", big_text=True),
    Visit("inspector", "/notifications/new", "What are you notifying?"),
    Visit("inspector", "/notifications/new/looked_after_death", "Death of a looked-after child or young person"),
    Visit("inspector", "/notifications/new/learning_review_children", "Learning review (children)"),
    Visit("inspector", "/notifications/{notification}", "Notification {notification_ref}", big_text=True),
    Visit("inspector", "/notifications/{notification}/extension", "Grant an extension for {notification_ref}"),
    Visit("inspector", "/notifications/{notification}/feedback", "Record feedback for {notification_ref}"),
    Visit("inspector", "/notifications/{notification}/status", "Change the status of {notification_ref}"),
    Visit("inspector", "/notifications/{closed}/delete", "Delete notification {closed_ref}"),
    Visit("inspector", "/notifications/dashboard", "Notifications dashboard", big_text=True),
    Visit("inspector", "/notifications/partner-links", "Partner links"),
    Visit("inspector", _create_partner_link, "Link created for Fife"),
]


# ---------------------------------------------------------------------------------------- arrange

# A database of its own holding the demo data, so the pages show a realistic year.
live_app, live_server = database_of_its_own("reflow", lambda: load_demo_data(echo=lambda *_: None))


@pytest.fixture(scope="module")
def records(live_app) -> dict[str, str]:
    with live_app.app_context():
        f.bind(db.session)
        arranged = _arrange(db.session)
        db.session.remove()
    return arranged


def _arrange(session) -> dict[str, str]:
    """The demo assessor with a password and a published deployment on the first children's
    inspection (the long title a phone must wrap), wishes for the inspection built, and the records
    the other visits open."""
    user = session.scalar(db.select(User).filter_by(role="assessor"))
    user.password_hash = f.password_hash()
    me = session.scalar(db.select(Assessor).filter_by(user_id=user.id))
    inspection, built = session.scalars(db.select(Inspection).filter_by(type="children")
                                        .order_by(Inspection.starts_on).limit(2))
    plan = SolveRun(status="finished", scope={"references": [inspection.reference]}, version=1, published_at=utcnow())
    session.add(plan)
    deployment = f.DeploymentFactory(assessor=me, inspection=inspection, specialism="children", plan=plan,
                                     day_count=min(5, len(inspection.days)))
    other = session.scalar(db.select(Assessor).where(Assessor.id != me.id, Assessor.user_id.is_(None))
                           .order_by(Assessor.id))
    # wishes a coordinator reads on the profile, the seat's candidates and the build's result
    f.PreferenceFactory(assessor=me, inspection=built, kind="keen",
                        note="I worked with this partnership on its last self-evaluation and would like to again")
    f.PreferenceFactory(assessor=other, inspection=built, kind="rather_not", note="Too far from home")
    asked = f.AgreementFactory(assessor=other, status="requested", valid_from=inspection.starts_on,
                               valid_to=inspection.starts_on + timedelta(days=300))
    invited = f.UserFactory(role="assessor", email="invited.reflow@test.example")
    new_staff = f.UserFactory(role="inspector", totp_secret=None, mfa_enrolled_at=None)  # two-step not set up
    f.CampaignFactory(title="Associate assessors 2027: children and adults")
    notification = f.NotificationFactory(area=f.area("fife"))
    f.ExtensionFactory(notification=notification)
    f.FeedbackFactory(notification=notification)
    closed = f.NotificationFactory(status="closed", event_date=date(2017, 1, 9), closed_on=date(2017, 6, 30))
    partner = f.PartnerLinkFactory()
    message = send_mail("jane.manager@test.example", "Please confirm a release for an inspection",
                        "A message the outbox page shows.")
    application = session.scalar(db.select(Application).order_by(Application.id))
    session.flush()
    records = {
        "assessor": me.id, "assessor_name": me.name, "assessor_email": user.email, "new_staff": new_staff.email,
        "deployment": deployment.id,
        "unavailability": me.unavailability[0].id,
        "inspection": inspection.id, "inspection_ref": inspection.reference, "inspection_title": inspection.title,
        "build_ref": built.reference,  # teams are built and published for another inspection
        "agreement_token": make_token("employer-agreement", asked.id), "agreement_assessor": other.name,
        "deployment_token": make_token("deployment-confirmation", deployment.id),
        "partner_token": make_token("notification-form", partner.id),
        "invitation": make_token("invitation", invited.id),
        "reset": make_token("password-reset", user.id, state=password_state(user.password_hash)),
        "campaign": session.scalar(db.select(Application.campaign_id).limit(1)),
        "application": application.id, "application_name": application.name, "application_ref": application.reference,
        "message": message.id, "message_subject": message.subject,
        "notification": notification.id, "notification_ref": notification.reference,
        "closed": closed.id, "closed_ref": closed.reference,
    }
    session.commit()
    return {k: str(v) for k, v in records.items()}


def _sign_in(page, base: str, who: str, browser_user, records: dict[str, str]) -> None:
    """Start each group of visits as the person it is for."""
    page.context.clear_cookies()
    if who == "anyone":
        return
    if who == "assessor":
        email, password = records["assessor_email"], f.PASSWORD
    elif who == "new staff":
        email, password = records["new_staff"], f.PASSWORD
    else:
        email, password = browser_user("coordinator" if who == "halfway" else who)
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if page.url.endswith("/sign-in/security-code") and who != "halfway":
        page.get_by_label("Security code").fill(security_code())
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()


# ------------------------------------------------------------------------------------- the checks

# The elements that stick out past the right edge of the viewport and whose parent does not: the
# ones that make the page scroll sideways, widest first; those inside a box that scrolls or clips
# only when nothing else is found (an absolutely positioned child can escape its box).
OVERFLOWING = """() => {
  const edge = document.documentElement.clientWidth + 0.5;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      [...el.classList].map(c => '.' + c).join('') + ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
  const clipped = (el) => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
  const out = [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > edge && el.parentElement.getBoundingClientRect().right <= edge)
    .sort((a, b) => b.getBoundingClientRect().width - a.getBoundingClientRect().width);
  const free = out.filter(el => !clipped(el));
  return (free.length ? free : out).slice(0, 3)
    .map(el => `${name(el)} (${Math.round(el.getBoundingClientRect().width)} px wide)`);
}"""

# Boxes that scroll sideways must be reachable and named: role=region, a label and tabindex=0.
UNNAMED_SCROLL_REGIONS = """() => [...document.body.querySelectorAll('*')]
  .filter(el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1)
  .filter(el => !(el.getAttribute('role') === 'region' && el.tabIndex === 0 &&
                  (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'))))
  .map(el => el.outerHTML.slice(0, 120))"""

# WCAG 2.5.8: a target smaller than 24 × 24 px passes only if a 24 px circle centred on it meets no
# other target (nor another small target's circle), or if it is a link inside a sentence.
SMALL_TARGETS = """() => {
  const targets = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
    .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 &&
                    getComputedStyle(el).visibility !== 'hidden'; })
    .filter(el => !el.closest('.govuk-visually-hidden, .govuk-skip-link'));
  const inSentence = (el) => el.tagName === 'A' && getComputedStyle(el).display === 'inline' &&
      el.parentElement.textContent.trim().length > el.textContent.trim().length;
  const boxes = targets.map(el => ({el, r: el.getBoundingClientRect()}));
  const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];
  const distanceToBox = ([x, y], r) => Math.hypot(Math.max(r.left - x, 0, x - r.right),
                                                  Math.max(r.top - y, 0, y - r.bottom));
  const small = (r) => r.width < 23.5 || r.height < 23.5;
  const name = (el) => el.tagName.toLowerCase() + ' "' +
      (el.textContent || el.value || el.name || '').trim().slice(0, 40) + '"';
  return boxes.filter(({el, r}) => small(r) && !inSentence(el)).filter(({el, r}) => boxes.some(o => {
      if (o.el === el || o.el.contains(el) || el.contains(o.el)) return false;
      if (distanceToBox(centre(r), o.r) < 12) return true;
      return small(o.r) && Math.hypot(centre(r)[0] - centre(o.r)[0], centre(r)[1] - centre(o.r)[1]) < 24;
    })).map(({el, r}) => `${name(el)} ${Math.round(r.width)}×${Math.round(r.height)} px`);
}"""

# WCAG 2.4.11: nothing fixed or sticky on the page that could sit over the focused element.
STUCK = """() => [...document.body.querySelectorAll('*')]
  .filter(el => ['fixed', 'sticky'].includes(getComputedStyle(el).position) && el.getBoundingClientRect().height > 0)
  .map(el => el.outerHTML.slice(0, 120))"""

# WCAG 1.4.12: the text-spacing bookmarklet's overrides.
TEXT_SPACING = ("* { line-height: 1.5 !important; letter-spacing: 0.12em !important; "
                "word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }")


def _layout_problems(page) -> list[str]:
    problems = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > page.viewport_size["width"]:
        problems.append(f"{width} px wide; sticking out: {', '.join(page.evaluate(OVERFLOWING))}")
    for region in page.evaluate(UNNAMED_SCROLL_REGIONS):
        problems.append(f"scrolls sideways without a labelled, focusable region: {region}")
    return problems


def _problems(page, axe, visit: Visit) -> list[str]:
    problems = _layout_problems(page)
    try:
        axe(page)
    except AssertionError as failure:
        problems.append(f"axe: {failure}")
    problems += [f"target under 24 × 24 px and crowded: {t}" for t in page.evaluate(SMALL_TARGETS)]
    problems += [f"fixed or sticky, could hide the focus: {s}" for s in page.evaluate(STUCK)]
    if visit.big_text:
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        problems += [f"with 200% text: {p}" for p in _layout_problems(page)]
        page.evaluate("document.documentElement.style.fontSize = ''")
        # A constructed style sheet: the Content Security Policy refuses inline <style>.
        page.evaluate("""css => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css);
                                  document.adoptedStyleSheets = [sheet]; }""", TEXT_SPACING)
        problems += [f"with WCAG text spacing: {p}" for p in _layout_problems(page)]
        page.evaluate("document.adoptedStyleSheets = []")
    return problems


# WCAG 2.4.7 and 2.4.11, at the element that has the focus: it shows a focus indicator (an outline,
# a box shadow, or for a GOV.UK radio or checkbox its label's ring), and it is what is on top at its
# own centre, so nothing covers it.
FOCUS_PROBLEM = """() => {
  const el = document.activeElement;
  const shows = (style) => (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 &&
                            style.outlineColor !== 'rgba(0, 0, 0, 0)') || style.boxShadow !== 'none';
  const ring = ['radio', 'checkbox'].includes(el.type) && el.labels && el.labels.length &&
               shows(getComputedStyle(el.labels[0], '::before'));
  const name = el.tagName.toLowerCase() + ' "' +
      (el.textContent || el.value || el.name || '').trim().slice(0, 40) + '"';
  if (!shows(getComputedStyle(el)) && !ring) return `${name} shows no focus indicator`;
  const r = el.getClientRects()[0] || el.getBoundingClientRect();  // a link over two lines: its first
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(r.top + Math.min(r.height, 20) / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  const mine = top && (top === el || el.contains(top) || [...(el.labels || [])].some(l => l.contains(top)));
  return mine ? null : `${name} is covered by ${top && top.outerHTML.slice(0, 80)}`;
}"""


def _walk(page, base: str, visits: list[Visit], records: dict[str, str], browser_user, check) -> list[str]:
    """Visit each page as its person, check it is the page expected, then check(page, visit):
    every failure, page by page, and a count of the pages that were checked."""
    failures: dict[str, list[str]] = {}
    checked = 0
    who = None
    for visit in visits:
        if visit.who != who:
            who = visit.who
            _sign_in(page, base, who, browser_user, records)
        if isinstance(visit.go, str):
            response = page.goto(base + visit.go.format(**records))
        else:
            response = visit.go(page, records)
        where = f"{visit.who} {visit.name} ({page.url.removeprefix(base)})"
        h1, expected = page.locator("h1").all_inner_texts(), visit.h1.format(**records)
        heading_ok = len(h1) == 1 and (h1[0].startswith(expected[:-1]) if expected.endswith("…") else h1[0] == expected)
        if response is None or response.status != visit.status or not heading_ok:
            failures[where] = [f"status {response and response.status}, h1 {h1}: expected {visit.status}, "
                               f"{expected!r}"]
            continue
        checked += 1
        if problems := check(page, visit):
            failures[where] = problems
    report = "\n\n".join(f"{where}:\n  " + "\n  ".join(p) for where, p in failures.items())
    assert not failures, f"{len(failures)} of {len(visits)} pages fail:\n\n{report}"
    return checked


# -------------------------------------------------------------------------------------- the tests

def test_every_journey_page_fits_a_phone_and_passes_axe_there(page, live_server, records, browser_user, axe):
    page.set_viewport_size(PHONE)
    checked = _walk(page, live_server.url, PAGES, records, browser_user,
                    lambda page, visit: _problems(page, axe, visit))
    assert checked == len(PAGES) >= 90


def test_keyboard_focus_is_always_visible_and_never_covered(page, live_server, records, browser_user):
    """Tab through the pages of the 200% subset on a phone: every stop shows the focus, uncovered."""
    def tab_through(page, visit) -> list[str]:
        problems, seen = [], []
        page.locator("body").focus()
        for _ in range(150):
            page.keyboard.press("Tab")
            here = page.evaluate("document.activeElement === document.body ? null : "
                                 "document.activeElement.outerHTML.slice(0, 200)")
            if here is None or here in seen[:1]:
                break  # through the page and back to its start
            seen.append(here)
            if problem := page.evaluate(FOCUS_PROBLEM):
                problems.append(problem)
        return problems or ([] if len(seen) >= 3 else [f"only {len(seen)} Tab stops"])

    page.set_viewport_size(PHONE)
    subset = [v for v in PAGES if v.big_text and isinstance(v.go, str)]
    assert _walk(page, live_server.url, subset, records, browser_user, tab_through) == len(subset) >= 20


def test_the_page_checks_find_what_they_look_for(page):
    """Each check fails on a page made to fail it, naming the culprit."""
    page.set_viewport_size(PHONE)
    page.set_content("<html lang='en'><head><title>Wide</title></head><body><main><h1>Wide</h1>"
                     "<div id='wide' style='width: 600px'>A box wider than a phone</div>"
                     "<div style='overflow-x: auto'><table><tr><td style='min-width: 900px'>Data</td></tr>"
                     "</table></div>"
                     "<p><a href='/a' style='display: inline-block; width: 16px; height: 16px'>a</a>"
                     "<a href='/b' style='display: inline-block; width: 16px; height: 16px'>b</a></p>"
                     "<div style='position: sticky; top: 0'>Stuck</div></main></body></html>")
    layout = _layout_problems(page)
    assert "600 px wide" in layout[0] and 'div#wide "A box wider than a phone"' in layout[0], layout
    assert "without a labelled, focusable region" in layout[1], layout
    assert [t.split(" ")[0:2] for t in page.evaluate(SMALL_TARGETS)] == [["a", '"a"'], ["a", '"b"']]
    assert page.evaluate(STUCK)
    page.set_content("<html lang='en'><body><main><h1>Fits</h1><p>A <a href='/c'>link in a sentence</a> is exempt.</p>"
                     "<div class='app-table-scroll' role='region' aria-label='Data' tabindex='0' "
                     "style='overflow-x: auto'>"
                     "<table><tr><td style='min-width: 900px'>Data</td></tr></table></div>"
                     "<button style='width: 24px; height: 24px'>x</button></main></body></html>")
    assert (_layout_problems(page), page.evaluate(SMALL_TARGETS), page.evaluate(STUCK)) == ([], [], [])


def test_the_notifications_chart_is_in_the_pages_font_beside_its_table(page, live_server, records, browser_user):
    _sign_in(page, live_server.url, "inspector", browser_user, records)
    page.goto(f"{live_server.url}/notifications/dashboard")
    chart = page.get_by_role("img", name=re.compile("^Notifications by kind and quarter"))
    body_font = page.locator("p.govuk-body").first.evaluate("el => getComputedStyle(el).fontFamily")
    assert "serif" not in body_font.replace("sans-serif", "")
    fonts = chart.locator("text").evaluate_all("els => [...new Set(els.map(el => getComputedStyle(el).fontFamily))]")
    assert fonts == [body_font]
    expect(page.get_by_role("region", name="National counts by kind and quarter")
           .get_by_role("table")).to_contain_text("Death of a looked-after child or young person")
