"""The load test's writer does what a coordinator does in a browser: its writes go through the real
forms (CSRF token, every field) and count as saved only when the service saved them."""
from __future__ import annotations

from datetime import date

from bench.load import run as load
from scheduler.models import Unavailability
from tests import factories as f


class _Through:
    """The load test's User, answered by the test client instead of gunicorn."""

    def __init__(self, client):
        self.client = client

    def request(self, method: str, path: str, body: str | None = None):
        response = self.client.open(path, method=method, data=body, csrf=False,
                                    content_type="application/x-www-form-urlencoded" if body else None)
        return response.status_code, response.data, response.headers


def test_the_writer_records_a_day_away_and_removes_it_through_the_profile_forms(client, sign_in, db):
    assessor = f.AssessorFactory()
    sign_in("coordinator")
    writer, day = _Through(client), date(date.today().year + 1, 3, 2)

    assert load.unavailability(writer, assessor.id, day, add=True) is None
    assert [(u.starts_on, u.ends_on) for u in db.session.query(Unavailability).filter_by(assessor=assessor)] == [
        (day, day)]
    assert load.unavailability(writer, assessor.id, day, add=False) is None
    assert db.session.query(Unavailability).filter_by(assessor=assessor).count() == 0
    assert load.unavailability(writer, assessor.id, day, add=False) == "nothing to remove"


def test_the_writer_counts_a_refused_form_as_an_error(client, sign_in):
    assessor = f.AssessorFactory()
    sign_in("coordinator")
    past = date(2020, 1, 1)   # before today: the form refuses it
    assert load.unavailability(_Through(client), assessor.id, past, add=True) == "POST 200"
