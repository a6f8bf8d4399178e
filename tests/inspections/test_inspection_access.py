"""Who may see and change the inspection programme."""
from __future__ import annotations

import pytest

from tests import factories
from tests.inspections.helpers import inspection_form


@pytest.mark.parametrize("role", ["coordinator", "admin", "inspector"])
def test_access_by_role_programme_and_inspection_pages_for_staff(client, sign_in, role):
    inspection = factories.InspectionFactory()
    sign_in(role)
    assert client.get("/inspections").status_code == 200
    assert client.get(f"/inspections/{inspection.id}").status_code == 200


def test_access_by_role_assessors_never_see_the_programme(client, sign_in):
    inspection = factories.InspectionFactory()
    sign_in("assessor")
    for url in ("/inspections", f"/inspections/{inspection.id}", "/inspections/new",
                f"/inspections/{inspection.id}/edit"):
        assert client.get(url).status_code == 403, url
    assert client.post("/inspections/new", data=inspection_form()).status_code == 403


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_access_by_role_coordinators_and_admins_edit(client, sign_in, role):
    inspection = factories.InspectionFactory()
    sign_in(role)
    assert client.get("/inspections/new").status_code == 200
    assert client.get(f"/inspections/{inspection.id}/edit").status_code == 200
    programme = client.get("/inspections?year=2027")
    assert programme.soup.find("a", href="/inspections/new")


def test_access_by_role_inspectors_may_not_edit(client, sign_in):
    inspection = factories.InspectionFactory()
    sign_in("inspector")
    assert client.get("/inspections/new").status_code == 403
    assert client.get(f"/inspections/{inspection.id}/edit").status_code == 403
    assert client.post("/inspections/new", data=inspection_form()).status_code == 403
    assert not client.get("/inspections?year=2027").soup.find("a", href="/inspections/new")


def test_access_by_role_signed_out_users_are_sent_to_sign_in(client):
    response = client.get("/inspections")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_an_unknown_inspection_is_not_found(client, sign_in):
    sign_in("coordinator")
    assert client.get("/inspections/999999").status_code == 404
    assert client.get("/inspections/999999/edit").status_code == 404


def test_navigation_shows_the_programme_to_staff_only(client, sign_in):
    sign_in("inspector")
    page = client.get("/inspections")
    assert page.soup.find("a", class_="govuk-service-navigation__link", href="/inspections")
