"""No input reaches a 500: every route in the URL map, as every role and anonymously, gets odd
values (digits that are not 0-9, numbers past 64 bits, empty, very long, control characters)
for every query parameter and form field it takes, and for the ids and tokens in its address.

The fields a route takes are read from the pages themselves (every form on every page, matched
to the route it posts to) and from the query parameters the code reads. Hypothesis draws a
bounded number of examples per route (FUZZ_EXAMPLES, default 4) so the walk stays quick in CI."""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from scheduler.auth.passwords import password_state
from scheduler.extensions import limiter
from scheduler.links import make_token
from scheduler.models import OutboxMessage, Role
from tests import factories as f
from tests.teams.conftest import build_run, programme  # noqa: F401  (the arranged programme)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
SOURCE = Path(__file__).resolve().parent.parent / "scheduler"
# Query parameters the code reads directly (request.args.get("...")).
QUERY_NAMES = sorted({"page", "next", "change", "_method"} | {
    name for path in SOURCE.rglob("*.py")
    for name in re.findall(r"args\.get\(\s*[\"'](\w+)[\"']", path.read_text(encoding="utf-8"))})

ODD_TEXT = st.sampled_from([
    "²", "①", "٣", "１２", "9" * 30, str(2**63), str(2**64 + 1), "-1", "0", "", " ", "1e309", "NaN", "0x1F",
    "\x00", "a\r\nb", "a\x85b", "\u2028", "x" * 20_000, "2027-02-30", "31 12 2027", "<b>", "' OR 1=1 --", "y",
])
ODD = st.one_of(ODD_TEXT, st.text(max_size=12), st.integers().map(str),
                st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=4))
ODD_ID = st.sampled_from([0, 2**31 - 1, 2**31, 2**63, 2**64 + 1])
PATH_VARIABLE = re.compile(r"<(?:(\w+):)?(\w+)>")


def _world(client, sign_in, programme, assessor_user) -> dict:  # noqa: F811
    """One of everything a route can name, and valid tokens for the signed links."""
    coordinator = f.UserFactory(role="coordinator")
    sign_in(coordinator)
    run = build_run(client)
    client.post("/sign-out")
    me = f.AssessorFactory(user=assessor_user, name="Morag Lyle")
    f.AgreementFactory(assessor=me)
    inspection = programme.inspections[0]
    deployment = f.DeploymentFactory(assessor=me, inspection=inspection)
    unavailability = f.UnavailabilityFactory(assessor=me)
    change = f.SpecialismChangeRequestFactory(assessor=me)
    campaign = f.CampaignFactory()
    application = f.ApplicationFactory(campaign=campaign)
    notification = f.NotificationFactory()
    link = f.PartnerLinkFactory(created_by=f.UserFactory(role="inspector"))
    message = OutboxMessage(recipient="a@example.org", subject="Hello", body="Hi", delivered_via="console")
    f.db.session.add(message)
    f.db.session.flush()
    me.calendar_token = "calendar-token-for-fuzzing"
    agreement = me.agreements[0]
    return {
        "assessor_id": me.id, "request_id": change.id, "inspection_id": inspection.id, "deployment_id": deployment.id,
        "unavailability_id": unavailability.id, "notification_id": notification.id, "link_id": link.id,
        "campaign_id": campaign.id, "application_id": application.id, "message_id": message.id, "run_id": run.id,
        "inspection": inspection.reference, "specialism": "children", "kind": "looked_after_death",
        "slug": "about-you", "topic": "benefits", "outcome": "confirmed", "filename": "css/application.css",
        "tokens": {
            "employer.respond": make_token("employer-agreement", agreement.id),
            "notifications.partner_start": make_token("notification-form", link.id),
            "notifications.partner_notify": make_token("notification-form", link.id),
            "auth.set_password": make_token("invitation", assessor_user.id),
            "auth.reset_password": make_token("password-reset", assessor_user.id,
                                              state=password_state(assessor_user.password_hash)),
            "my.calendar_feed": me.calendar_token,
            "my.confirm_email": make_token("contact-email:x", me.id),
        },
    }


def _path(rule, world: dict, draw=None) -> str:
    def value(match):
        converter, name = match.groups()
        real = world["tokens"][rule.endpoint] if name == "token" else world.get(name, "x")
        if draw is None:
            return quote(str(real), safe="/")
        if converter == "int":
            return str(draw(st.one_of(st.just(real), ODD_ID)))
        return quote(draw(st.one_of(st.just(str(real)), ODD_TEXT, st.text(min_size=1, max_size=12))), safe="")
    return PATH_VARIABLE.sub(value, rule.rule)


def _forms(page) -> list[tuple[str, str, set[str]]]:
    """(method, action path, field names) of each form on a parsed page."""
    found = []
    for form in page.soup.find_all("form") if getattr(page, "soup", None) else []:
        names = {el.get("name") for el in form.find_all(["input", "select", "textarea"])} - {None, "csrf_token"}
        found.append(((form.get("method") or "get").upper(), urlsplit(form.get("action") or "").path, names))
    return found


def _fields_by_route(app, client, world) -> dict[tuple[str, str], set[str]]:
    """{(endpoint, method): field names} from every form on every page this client can open."""
    adapter = app.url_map.bind("localhost")
    fields: dict[tuple[str, str], set[str]] = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        for method, action, names in _forms(client.get(_path(rule, world))):
            try:
                endpoint, _ = adapter.match(action, method=method)
            except Exception:  # a form posting to another site or a path with no route
                continue
            fields.setdefault((endpoint, method), set()).update(names)
    return fields


ROLES = ["anonymous", *[r.value for r in Role]]


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_no_route_answers_odd_input_with_a_server_error(app, client, db, sign_in, make_user, programme, role):  # noqa: F811
    assessor_user = make_user("assessor")
    world = _world(client, sign_in, programme, assessor_user)
    if role == Role.ASSESSOR.value:
        sign_in(assessor_user)
    elif role != "anonymous":
        sign_in(role)
    limiter.enabled = False  # a 429 would hide what the route does with the input
    try:
        fields = _fields_by_route(app, client, world)
        failures = []
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if rule.endpoint in ("static", "auth.sign_out"):  # files; would end this role's session
                continue
            for method in sorted(rule.methods & {"GET", "POST"}):
                names = sorted(fields.get((rule.endpoint, method), set())
                               | (set(QUERY_NAMES) if method == "GET" else set()))
                failure = _fuzz(client, rule, method, names, world)
                if failure:
                    failures.append(failure)
        assert failures == []
    finally:
        limiter.enabled = True


def _fuzz(client, rule, method: str, names: list[str], world: dict) -> str | None:
    seen: list[str] = []

    # No shrinking: the first failing example is reported as drawn, so a failure costs no more time.
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck),
              phases=(Phase.explicit, Phase.generate))
    @given(data=st.data())
    def send(data):
        path = _path(rule, world, data.draw)
        values = data.draw(st.fixed_dictionaries({}, optional={name: ODD for name in names}))
        try:
            if method == "GET":
                response = client.get(path, query_string=values)
            else:
                response = client.post(path, data=values)
            outcome = response.status_code
        except Exception as error:  # noqa: BLE001  (a page the client's checks refuse, say)
            outcome = repr(error)[:300]
        if not isinstance(outcome, int) or outcome >= 500:
            seen.append(f"{method} {path} {sorted(values.items())!r:.300} -> {outcome}")
            raise AssertionError(seen[-1])

    try:
        send()
    except AssertionError:
        return seen[-1] if seen else f"{method} {rule.rule}: failed"
    return None
