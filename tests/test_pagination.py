"""Paged tables link the first, last, current and neighbouring pages, with ellipses between."""
from scheduler.pagination import pagination


def href(n: int) -> str:
    return f"/list?page={n}"


def test_a_single_page_has_no_pagination():
    assert pagination(1, 1, href, "Pages of assessors") == {}


def test_middle_page_links_both_ends_its_neighbours_and_previous_and_next():
    p = pagination(5, 9, href, "Pages of assessors")
    assert [i.get("number", "…") for i in p["items"]] == [1, "…", 4, 5, 6, "…", 9]
    assert [i["number"] for i in p["items"] if i.get("current")] == [5]
    assert p["previous"] == {"href": "/list?page=4"} and p["next"] == {"href": "/list?page=6"}
    assert p["landmarkLabel"] == "Pages of assessors"


def test_first_and_last_pages_have_no_link_beyond_them():
    assert "previous" not in pagination(1, 3, href, "x")
    assert "next" not in pagination(3, 3, href, "x")
