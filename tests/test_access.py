"""Every route declares who may use it, and the declaration holds for every role."""
from __future__ import annotations

import pytest

from scheduler.access import PUBLIC, declared_access
from scheduler.models import Role

ROLES = [r.value for r in Role]


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule, app.view_functions[rule.endpoint]


def test_every_route_declares_who_may_use_it(app):
    undeclared = [rule.rule for rule, view in _routes(app) if declared_access(view) is None]
    assert undeclared == [], f"routes with no access rule: {undeclared}"


def test_an_undeclared_route_is_refused(bare_app):
    bare_app.add_url_rule("/test-undeclared", "test_undeclared", lambda: "secret")
    assert bare_app.test_client().get("/test-undeclared").status_code == 403


def _sample_url(rule) -> str:
    values = {arg: ("1" if "id" in arg else "sample") for arg in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def _expectations(app):
    for rule, view in _routes(app):
        if "GET" not in rule.methods:
            continue
        access = declared_access(view)
        for who in [None, *ROLES]:
            yield pytest.param(rule, access, who, id=f"{rule.endpoint}-{who or 'anonymous'}")


def _post_expectations(app):
    """Every POST route, for anonymous users and every role it does not admit (those who may use
    it are covered by each feature's own tests, since a POST changes something)."""
    for rule, view in _routes(app):
        access = declared_access(view)
        if "POST" not in rule.methods or access == PUBLIC:
            continue
        for who in [None, *(r for r in ROLES if r not in access)]:
            yield pytest.param(rule, access, who, id=f"POST-{rule.endpoint}-{who or 'anonymous'}")


def pytest_generate_tests(metafunc):
    from config import TestConfig
    from scheduler import create_app

    for name, cases in (("route_case", _expectations), ("post_case", _post_expectations)):
        if name in metafunc.fixturenames:
            params = list(cases(create_app(TestConfig)))
            metafunc.parametrize(name, [p.values for p in params], ids=[p.id for p in params])


def test_route_by_role_matrix(app, client, sign_in, route_case):
    rule, access, who = route_case
    rule = app.url_map._rules_by_endpoint[rule.endpoint][0]
    if who:
        sign_in(who)
    response = client.get(_sample_url(rule))
    if access == PUBLIC:
        assert response.status_code in (200, 302, 404), response.status_code
    elif who is None:
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    elif who in access:
        assert response.status_code in (200, 302, 404), (rule.rule, who, response.status_code)
    else:
        assert response.status_code == 403, (rule.rule, who, response.status_code)


def test_changes_are_refused_to_anyone_the_route_does_not_admit(app, client, sign_in, post_case):
    rule, access, who = post_case
    rule = app.url_map._rules_by_endpoint[rule.endpoint][0]
    if who:
        sign_in(who)
    response = client.post(_sample_url(rule), data={})
    if who is None:
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    else:
        assert response.status_code == 403, (rule.rule, who, response.status_code)
