"""Only strategic inspectors use the register: the records include deaths of looked-after children,
and no other role's work needs them (least privilege), so recruitment admins, coordinators and
assessors are refused everywhere. Partners reach only their signed form."""
from __future__ import annotations

import pytest

from scheduler.access import PUBLIC, declared_access
from scheduler.models import AuditEvent, Notification
from tests import factories

STAFF_PAGES = [
    ("GET", "/notifications"),
    ("GET", "/notifications/export.csv"),
    ("GET", "/notifications/dashboard"),
    ("GET", "/notifications/new"),
    ("GET", "/notifications/new/looked_after_death"),
    ("GET", "/notifications/{id}"),
    ("GET", "/notifications/{id}/status"),
    ("GET", "/notifications/{id}/extension"),
    ("GET", "/notifications/{id}/feedback"),
    ("GET", "/notifications/{id}/reopen"),
    ("GET", "/notifications/{id}/delete"),
    ("GET", "/notifications/partner-links"),
    ("POST", "/notifications/new"),
    ("POST", "/notifications/new/looked_after_death"),
    ("POST", "/notifications/{id}/status"),
    ("POST", "/notifications/{id}/extension"),
    ("POST", "/notifications/{id}/feedback"),
    ("POST", "/notifications/{id}/reopen"),
    ("POST", "/notifications/{id}/delete"),
    ("POST", "/notifications/partner-links"),
    ("POST", "/notifications/partner-links/{link}/withdraw"),
]


def _call(client, method, url, n, link):
    url = url.format(id=n.id, link=link.id)
    return client.get(url) if method == "GET" else client.post(url, data={})


def test_every_route_of_the_register_is_in_this_list(app):
    """A page added to the register without a line here would escape the refusal tests below."""
    urls = app.url_map.bind("localhost")
    listed = {urls.match(url.format(id=1, link=1), method)[0] for method, url in STAFF_PAGES}
    staff = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("notifications.")
             and declared_access(app.view_functions[rule.endpoint]) != PUBLIC}
    assert staff == listed


@pytest.mark.parametrize("role", ["admin", "coordinator", "assessor"])
@pytest.mark.parametrize("method,url", STAFF_PAGES)
def test_everyone_but_strategic_inspectors_is_refused_everywhere_in_the_register(client, db, sign_in, role,
                                                                                  method, url):
    n = factories.NotificationFactory()
    link = factories.PartnerLinkFactory()
    sign_in(role)
    response = _call(client, method, url, n, link)
    assert response.status_code == 403
    assert "Jamie Test" not in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)
                             .filter_by(action="notification.viewed")) == 0


@pytest.mark.parametrize("method,url", STAFF_PAGES)
def test_strategic_inspectors_may_use_every_page(client, db, sign_in, method, url):
    n = factories.NotificationFactory()
    link = factories.PartnerLinkFactory()
    sign_in("inspector")
    response = _call(client, method, url, n, link)
    assert response.status_code in (200, 302), (url, response.status_code)


@pytest.mark.parametrize("method,url", STAFF_PAGES)
def test_anyone_signed_out_is_sent_to_sign_in(client, db, method, url):
    n = factories.NotificationFactory()
    link = factories.PartnerLinkFactory()
    response = _call(client, method, url, n, link)
    if method == "GET":
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    else:
        assert response.status_code in (302, 400)  # sign-in redirect, or the CSRF check first
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)) == 1


def test_the_navigation_shows_notifications_only_to_strategic_inspectors(client, db, sign_in, make_user):
    for role, shown in [("inspector", True), ("admin", False), ("coordinator", False), ("assessor", False)]:
        client.cookie_jar.clear() if hasattr(client, "cookie_jar") else None
        fresh = client.application.test_client()
        sign_in(role, client=fresh)
        page = fresh.get("/")
        links = [a.get("href") for a in page.soup.select(".govuk-service-navigation a")]
        assert ("/notifications" in links) is shown, role
