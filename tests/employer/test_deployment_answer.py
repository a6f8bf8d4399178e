"""The employer's answer to a confirmation request: their page and the emails that follow name the
deployment's days in the one wording every deployment email uses (deployment_mail.days_words)."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from scheduler import deployment_mail
from scheduler.deployments import status
from scheduler.models import OutboxMessage
from tests import factories as f

FIVE_DAYS = ("5 days: Monday 1 March 2027, Tuesday 2 March 2027, Wednesday 3 March 2027, Thursday 4 March 2027 "
             "and Friday 5 March 2027")


def _mail(db, **by) -> list[OutboxMessage]:
    return list(db.session.scalars(db.select(OutboxMessage).filter_by(**by).order_by(OutboxMessage.id)))


def test_the_employer_s_page_and_the_confirmation_name_the_days_as_the_request_did(app, client, db):
    a = f.AssessorFactory()
    f.AgreementFactory(assessor=a, contact_email="boss@test.example")
    d = status.new_deployment(a, f.InspectionFactory(reference="I0042"), "children")
    with app.test_request_context():
        status.propose(d, d.inspection.working_days[:5])
    assert deployment_mail.days_words(d.days) == FIVE_DAYS
    [request] = _mail(db, recipient="boss@test.example")
    assert FIVE_DAYS in " ".join(request.body.split())
    path = urlsplit(re.search(r"https?://\S+", request.body).group(0)).path

    page = client.get(path)
    assert FIVE_DAYS in " ".join(page.soup.get_text(" ").split())
    answered = client.post(path, data={"decision": "confirm"})

    assert f"for {FIVE_DAYS}." in " ".join(answered.soup.get_text(" ").split())
    [told] = [m for m in _mail(db, recipient=a.email) if "has confirmed" in m.subject]
    assert f"can join the team of Joint inspection of services for children in Angus (I0042) for {FIVE_DAYS}." \
        in " ".join(told.body.split())
