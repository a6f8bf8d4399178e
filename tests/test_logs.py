"""Operable: one JSON log line per request with its id, the user's role, the status and the time,
and nothing personal; the id goes back to the browser and onto error pages."""
from __future__ import annotations

import json
import logging

from scheduler.logs import JsonFormatter


def _request_lines(caplog) -> list[dict]:
    return [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "scheduler.request"]


def test_each_request_is_one_json_line_with_its_id_role_status_and_time_and_no_personal_data(
        client, sign_in, caplog):
    user = sign_in("coordinator")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="scheduler.request"):
        page = client.get("/assessors?name=Morag", headers={"X-Request-ID": "lb-7f3a9c21"})
    assert page.headers["X-Request-ID"] == "lb-7f3a9c21"
    [line] = _request_lines(caplog)
    assert {k: line[k] for k in ("message", "method", "path", "status", "role")} == {
        "message": "request", "method": "GET", "path": "/assessors", "status": 200, "role": "coordinator"}
    assert isinstance(line["ms"], float) and line["ms"] >= 0
    assert user.email not in json.dumps(line) and "Morag" not in json.dumps(line)


def test_a_request_without_a_usable_id_gets_a_new_one_and_an_error_page_shows_it(client, caplog):
    with caplog.at_level(logging.INFO, logger="scheduler.request"):
        page = client.get("/no-such-page", headers={"X-Request-ID": "bad id; DROP"})
    given = page.headers["X-Request-ID"]
    assert given != "bad id; DROP" and len(given) == 16
    assert f"quote reference {given}" in page.soup.main.get_text()
    [line] = _request_lines(caplog)
    assert (line["status"], line["role"], line["request_id"]) == (404, "anonymous", given)


def _security_events(caplog) -> list[dict]:
    return [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "scheduler.security"]


def test_a_form_sent_without_its_csrf_token_is_logged_as_a_security_event(client, caplog):
    with caplog.at_level(logging.WARNING, logger="scheduler.security"):
        assert client.post("/sign-in", data={"email": "x@test.example", "password": "x"}, csrf=False).status_code == 400
    [event] = _security_events(caplog)
    assert (event["event"], event["endpoint"], event["level"]) == ("csrf_refused", "auth.sign_in", "warning")
    assert "request_id" in event


def test_a_rate_limited_request_is_logged_as_a_security_event_without_the_account_typed(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="scheduler.security"):
        statuses = [client.post("/sign-in", data={"email": "x@test.example", "password": "wrong"}).status_code
                    for _ in range(11)]
    assert statuses[-1] == 429
    [event] = _security_events(caplog)
    assert (event["event"], event["endpoint"]) == ("rate_limited", "auth.sign_in")
    assert "x@test.example" not in json.dumps(event)


def test_control_characters_refused_in_a_field_are_logged_naming_the_field_not_the_value(client, db, sign_in,
                                                                                         caplog):
    from tests import factories

    user = sign_in("assessor")
    factories.AssessorFactory(user=user, name="Morag Lyle")
    with caplog.at_level(logging.WARNING, logger="scheduler.security"):
        client.post("/my/profile/contact", data={"name": "Morag\r\nBcc: x@evil.example", "email": "m@test.example",
                                                 "phone": "01382 1"})
    [event] = _security_events(caplog)
    assert (event["event"], event["field"]) == ("control_characters_refused", "name")
    assert "evil" not in json.dumps(event)


def test_a_signed_in_person_asking_for_someone_else_s_record_is_logged(client, db, sign_in, caplog):
    """ASVS 16.3.2: probing for others' records shows in the security log (the role and the view, not the id)."""
    from tests import factories

    other = factories.UnavailabilityFactory()
    user = sign_in("assessor")
    factories.AssessorFactory(user=user)
    with caplog.at_level(logging.WARNING, logger="scheduler.security"):
        assert client.get(f"/my/availability/{other.id}").status_code == 404
        assert client.get("/no-such-page").status_code == 404     # no view: a typo, not a probe
    [event] = _security_events(caplog)
    assert (event["event"], event["role"], event["endpoint"]) == ("record_not_found", "assessor",
                                                                  "my.change_unavailability")
