"""Odd input in addresses and forms is a clear 400 or the page with a specific error, never a 500:
digits that are not 0-9 ("²", "①"), numbers beyond the database's integers, and request
arguments that are also url_for's own (?_method=)."""
from __future__ import annotations

import pytest

from tests import factories
from tests.inspections.helpers import inspection_form

BEYOND_64_BITS = str(2**64 + 1)


@pytest.mark.parametrize("page", ["²", "①", "0", BEYOND_64_BITS])
def test_an_odd_page_number_on_the_directory_shows_the_first_page(client, sign_in, page):
    sign_in("coordinator")
    factories.AssessorFactory(name="Morag Lyle")
    response = client.get("/assessors", query_string={"page": page})
    assert response.status_code == 200
    assert "Morag Lyle" in response.soup.get_text(" ")


@pytest.mark.parametrize("url", [
    "/recruitment/applications?campaign=²", f"/recruitment/applications?campaign={BEYOND_64_BITS}",
    "/recruitment/applications?page=①", f"/recruitment/applications?page={BEYOND_64_BITS}",
    f"/recruitment/outbox?page={BEYOND_64_BITS}", "/recruitment/outbox?page=²",
])
def test_odd_numbers_on_the_recruitment_lists_and_outbox_are_never_a_server_error(client, sign_in, url):
    sign_in("admin")
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", [f"/recruitment/outbox/{BEYOND_64_BITS}", f"/recruitment/applications/{2**31}",
                                 f"/assessors/{BEYOND_64_BITS}"])
def test_an_id_beyond_the_database_integers_is_not_found(client, sign_in, url):
    sign_in("admin" if url.startswith("/recruitment") else "coordinator")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("count", ["²", "①", "١"])
def test_a_seat_count_in_other_digits_names_the_field(client, sign_in, count):
    sign_in("coordinator")
    response = client.post("/inspections/new", data=inspection_form(children_count=count))
    assert response.status_code == 200
    assert "Number of seats must be a whole number, like 4" in response.soup.get_text(" ")


def test_request_arguments_named_like_url_for_options_do_not_break_the_register(client, sign_in):
    sign_in("inspector")
    response = client.get("/notifications?_method=POST&_external=1&status=received")
    assert response.status_code == 200
    export = response.soup.find("a", href=lambda h: h and h.startswith("/notifications/export.csv"))
    assert "_method=POST" in export["href"] and "status=received" in export["href"]


@pytest.mark.parametrize("partnership", ["fi\x00fe", "①", "x" * 5000])
def test_an_unknown_partnership_in_the_register_filter_lists_all_partnerships(client, sign_in, partnership):
    sign_in("inspector")
    factories.NotificationFactory()
    for url in ("/notifications", "/notifications/export.csv"):
        assert client.get(url, query_string={"partnership": partnership}).status_code == 200
