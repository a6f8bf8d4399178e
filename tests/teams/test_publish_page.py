"""Publish with confidence: "Publish" first shows what publishing will do (who is emailed and
what they are asked, deployments added, changed and withdrawn, places left unfilled, warnings,
and anything the publish-time check would refuse). Only its button publishes, and what it then
does is what the page said."""
from __future__ import annotations

import copy
import re
from collections import Counter
from datetime import date

import sqlalchemy as sa

from scheduler.extensions import db
from scheduler.models import OutboxMessage
from scheduler.teams import plans
from tests import factories as f
from tests.teams.conftest import build_run, live, make_assessor


def _outbox() -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def _listed_emails(page) -> Counter:
    return Counter((li["data-email"], li["data-subject"]) for li in page.soup.select("#emails li[data-email]"))


def _count(page, name: str) -> int:
    return int(page.soup.select_one(f'#publish-summary [data-count="{name}"]').get_text())


def _rows(page, table_id: str) -> int:
    return len(page.soup.select(f"#{table_id} tbody tr"))


def _text(page) -> str:
    return " ".join(page.soup.get_text(" ").split())


def test_publish_first_shows_a_check_page_and_changes_nothing(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    result = client.get(f"/teams/runs/{run.id}")
    link = result.soup.find("a", string=re.compile("Check and publish"))
    assert link["href"] == f"/teams/runs/{run.id}/publish"

    page = client.get(link["href"])

    assert page.status_code == 200
    assert live() == [] and _outbox() == []
    db.session.refresh(run)
    assert run.published_at is None
    button = page.soup.find("button", string=re.compile("Publish these teams"))
    form = button.find_parent("form")
    assert form["method"] == "post" and form.find("input", {"name": "csrf_token"})


def test_the_check_page_names_everyone_emailed_and_what_each_is_asked(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    page = client.get(f"/teams/runs/{run.id}/publish")
    text = _text(page)
    deployed = {d["assessor"] for d in run.plan["deployments"]}
    assert len(deployed) == 3
    for a in programme.assessors:
        if a.reference in deployed:
            # the assessor by name beside their reference, and their employer's contact by name
            assert f"{a.name} ({a.reference})" in text
            assert a.current_agreement.contact_name in text and a.email in text
    for a in programme.assessors:
        if a.reference in deployed:
            assert f"Asked to confirm or decline releasing {a.name} ({a.reference})" in text
            assert "Employer contact: " in text and a.employer.name in text
    assert text.count("Asked to check their days, and to decline in the service if they cannot do them") == 3
    # the inspections by title and dates, not only their reference
    assert "I0002: Joint inspection in Dundee" in text
    assert "Monday 15 March 2027 to Friday 26 March 2027" in text


def test_the_counts_on_the_check_page_equal_the_lists_they_summarise(client, sign_in, programme):
    # Two justice places on I0002 that nobody holds the specialism for: left unfilled.
    f.SeatFactory(inspection=programme.inspections[1], specialism="justice", count=2, min_days=4, max_days=6)
    sign_in("coordinator")
    run = build_run(client)
    page = client.get(f"/teams/runs/{run.id}/publish")
    assert _count(page, "added") == _rows(page, "added") == 3
    assert _count(page, "changed") == 0 and page.soup.select_one("#changed table") is None
    assert _count(page, "withdrawn") == 0
    assert _count(page, "emails") == len(page.soup.select("#emails li")) == 6       # 3 employers, 3 assessors
    assert _count(page, "people") == _rows(page, "emails")
    assert _count(page, "warnings") == len(page.soup.select("#warnings li"))
    assert _count(page, "unfilled") == sum(int(td["data-missing"])
                                           for td in page.soup.select("#unfilled td[data-missing]")) == 2
    assert "Justice social work" in page.soup.select_one("#unfilled").get_text(" ")


def test_the_emails_sent_on_publishing_are_exactly_those_the_check_page_listed(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    # One deployed assessor's employer contact is new and nobody has confirmed it yet: they are
    # not emailed (the page says so), the others are.
    deployed = next(a for a in programme.assessors if a.reference == run.plan["deployments"][0]["assessor"])
    unconfirmed = deployed.current_agreement
    unconfirmed.contact_email, unconfirmed.contact_verified_at = "new.contact@test.example", None
    db.session.commit()
    page = client.get(f"/teams/runs/{run.id}/publish")
    listed = _listed_emails(page)
    assert len(listed) == 5 and "new.contact@test.example" not in {to for to, _ in listed}
    assert f"{deployed.name} ({deployed.reference})'s employer will not be asked" in _text(page)
    before = len(_outbox())

    response = client.post(f"/teams/runs/{run.id}/publish")

    assert response.status_code == 302
    sent = Counter((m.recipient, m.subject) for m in _outbox()[before:])
    assert sent == listed


def test_a_plan_the_publish_time_check_would_refuse_is_refused_on_the_check_page(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    plan = copy.deepcopy(run.plan)
    first = next(d for d in plan["deployments"] if d["inspection"] == "I0001")
    first["days"] = [d.isoformat() for d in plans.instance_of(run).inspection_by_id["I0001"].days[:9]]
    run.plan = plan
    db.session.commit()

    page = client.get(f"/teams/runs/{run.id}/publish")

    refusals = page.soup.select_one("#refusals").get_text(" ")
    assert "These teams cannot be published" in refusals and "rule 3 (length)" in refusals
    assert page.soup.find("button", string=re.compile("Publish these teams")) is None
    # and publishing says the same thing
    response = client.post(f"/teams/runs/{run.id}/publish", follow_redirects=True)
    assert "Not published" in _text(response) and "rule 3 (length)" in _text(response)


def test_someone_else_publishing_first_is_shown_on_the_check_page(client, sign_in, programme):
    sign_in("coordinator")
    first, second = build_run(client), build_run(client)
    client.post(f"/teams/runs/{first.id}/publish")
    page = client.get(f"/teams/runs/{second.id}/publish")
    assert plans.CHANGED_MEANWHILE in _text(page)
    assert page.soup.find("button", string=re.compile("Publish these teams")) is None


def test_withdrawing_a_confirmed_deployment_is_a_warning(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    client.post(f"/teams/runs/{run.id}/publish")
    confirmed = next(d for d in live() if d.inspection.reference == "I0002")
    confirmed.status = "employer_confirmed"
    db.session.commit()
    again = build_run(client)
    # The coordinator's new plan leaves the confirmed assessor out.
    again.plan = {**again.plan, "deployments": [d for d in again.plan["deployments"]
                                               if (d["assessor"], d["inspection"])
                                               != (confirmed.assessor.reference, "I0002")]}
    db.session.commit()

    page = client.get(f"/teams/runs/{again.id}/publish")

    name = f"{confirmed.assessor.name} ({confirmed.assessor.reference})"
    warnings = [li.get_text(" ") for li in page.soup.select("#warnings li")]
    assert any(name in w and "employer has confirmed" in w for w in warnings), warnings
    assert _count(page, "withdrawn") == _rows(page, "withdrawn") == 1
    assert name in page.soup.select_one("#withdrawn").get_text(" ")
    assert "Confirmed by the employer" in page.soup.select_one("#withdrawn").get_text(" ")
    # the assessor and their employer are told, and nothing is asked of either
    told = [e for e in plans.publish_check(again).emails if e.about.assessor == confirmed.assessor]
    assert sorted(e.role for e in told) == ["assessor", "employer"]
    [employer] = [e for e in told if e.role == "employer"]
    assert employer.recipient == confirmed.assessor.current_agreement.contact_email
    assert employer.asked.startswith(f"Told that {name} is no longer needed")


def test_a_re_plan_tells_the_employer_asked_to_confirm_a_withdrawn_deployment_as_the_check_page_says(
        client, sign_in, programme):
    sign_in("coordinator")
    client.post(f"/teams/runs/{build_run(client).id}/publish")      # the employers are asked to confirm
    dropped = next(d for d in live() if d.inspection.reference == "I0002")
    again = build_run(client)
    again.plan = {**again.plan, "deployments": [d for d in again.plan["deployments"]
                                               if (d["assessor"], d["inspection"])
                                               != (dropped.assessor.reference, "I0002")]}
    db.session.commit()
    contact = dropped.assessor.current_agreement.contact_email

    page = client.get(f"/teams/runs/{again.id}/publish")

    listed = _listed_emails(page)
    subject = f"{dropped.assessor.name} is no longer needed for Joint inspection in Dundee (I0002)"
    assert listed[(contact, subject)] == 1
    assert "is no longer needed: nothing is asked of them" in page.soup.select_one("#emails").get_text(" ")
    before = len(_outbox())
    client.post(f"/teams/runs/{again.id}/publish")
    sent = _outbox()[before:]
    assert Counter((m.recipient, m.subject) for m in sent) == listed
    [told] = [m for m in sent if m.recipient == contact]
    assert "Why: the inspection team has been re-planned without them." in " ".join(told.body.split())


def test_notice_shorter_than_four_weeks_before_an_inspection_starts_is_a_warning(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    # I0001 starts on Monday 1 March 2027 and I0002 on Monday 15 March 2027: from 15 February,
    # I0001 is two weeks away and I0002 exactly four.
    warnings = plans.publish_check(run, today=date(2027, 2, 15)).warnings
    assert any("I0001" in w and "in 14 days" in w and "less than 4 weeks" in w for w in warnings), warnings
    assert not any("I0002" in w for w in warnings)
    assert not any("weeks' notice" in w for w in plans.publish_check(run, today=date(2027, 2, 1)).warnings)


def test_the_check_page_of_published_teams_says_so(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    client.post(f"/teams/runs/{run.id}/publish")
    page = client.get(f"/teams/runs/{run.id}/publish", follow_redirects=True)
    assert "already been published" in _text(page)


def test_emails_say_what_is_asked_link_to_the_service_and_carry_the_inspection_title_and_dates(
        client, sign_in, programme, app):
    sign_in("coordinator")
    run = build_run(client, ["I0002"])
    client.post(f"/teams/runs/{run.id}/publish")
    d = live("I0002")[0]
    base = app.config["BASE_URL"]
    to_assessor = next(m for m in _outbox() if m.recipient == d.assessor.email)
    to_employer = next(m for m in _outbox() if m.recipient == d.assessor.current_agreement.contact_email)
    for m in (to_assessor, to_employer):
        assert "Joint inspection in Dundee (I0002)" in m.subject
        assert "Joint inspection in Dundee (I0002), Monday 15 March 2027 to Friday 26 March 2027" in m.body
        assert "What we ask of you:" in m.body
        first_day = date.fromisoformat(sorted(d.days)[0])
        assert f"{first_day:%A} {first_day.day} {first_day:%B %Y}" in m.body
    assert f"{base}/my/deployments/{d.id}" in to_assessor.body
    assert "decline the deployment in the service" in to_assessor.body
    assert re.search(rf"{re.escape(base)}/\S+", to_employer.body)
    assert f"whether you can release {d.assessor.name}" in to_employer.body


def test_an_assessor_without_a_confirmed_employer_contact_is_told_their_employer_will_be_asked(client, sign_in, db):
    i = f.InspectionFactory(reference="I0001", starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 12))
    f.SeatFactory(inspection=i, specialism="children", count=1, min_days=4, max_days=8)
    a = make_assessor(reference="A00001")
    a.current_agreement.contact_verified_at = None
    db.session.commit()
    sign_in("coordinator")
    run = build_run(client)
    client.post(f"/teams/runs/{run.id}/publish")
    bodies = [m.body for m in _outbox() if m.recipient == a.email]
    assert len(bodies) == 1 and "We will ask your employer to confirm your release." in bodies[0]
