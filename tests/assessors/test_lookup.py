"""Typing an assessor: a reference, a whole name (any case or accents) or a picked suggestion, with a
clear problem when a name is ambiguous or unknown; and the autocomplete's suggestions."""
from __future__ import annotations

from scheduler.assessors.lookup import Lookup, lookup
from tests import factories


def test_a_reference_is_read_in_any_case(db):
    a = factories.AssessorFactory(reference="A00017")
    db.session.flush()
    assert lookup(" a00017 ") == Lookup(a.reference)


def test_an_unknown_reference_says_so(db):
    assert lookup("A99999").problem == "No assessor has the reference A99999"


def test_a_whole_name_is_read_whatever_the_case_and_accents(db):
    factories.AssessorFactory(reference="A00021", name="Siobhán MacKay")
    factories.AssessorFactory(reference="A00022", name="Siobhán MacKay-Reid")
    db.session.flush()
    assert lookup("siobhan  mackay") == Lookup("A00021")


def test_part_of_a_name_is_not_enough_to_pick_someone(db):
    factories.AssessorFactory(name="Siobhán MacKay")
    db.session.flush()
    assert lookup("MacKay").problem.startswith("No assessor is called MacKay")


def test_a_name_two_assessors_share_asks_for_the_reference_and_names_both(db):
    factories.AssessorFactory(reference="A00031", name="Jo Smith")
    factories.AssessorFactory(reference="A00032", name="Jo Smith")
    db.session.flush()
    found = lookup("Jo Smith")
    assert found.reference is None
    assert found.problem == ("2 assessors are called Jo Smith: enter the reference of the one you mean "
                             "(A00031 or A00032)")


def test_a_picked_suggestion_is_read_by_its_reference(db):
    factories.AssessorFactory(reference="A00031", name="Jo Smith")
    factories.AssessorFactory(reference="A00032", name="Jo Smith")
    db.session.flush()
    assert lookup("Jo Smith (A00032)") == Lookup("A00032")


def test_suggestions_match_every_word_and_show_name_beside_reference(client, db, coordinator):
    factories.AssessorFactory(reference="A00041", name="Siobhán MacKay")
    factories.AssessorFactory(reference="A00042", name="Ewan Mackie")
    factories.AssessorFactory(reference="A00043", name="Ann Other")
    found = client.get("/assessors/suggestions.json?q=mack").get_json()
    assert [s["label"] for s in found] == ["Ewan Mackie (A00042)", "Siobhán MacKay (A00041)"]
    assert client.get("/assessors/suggestions.json?q=a00043").get_json()[0]["name"] == "Ann Other"
    assert client.get("/assessors/suggestions.json?q=").get_json() == []


def test_suggestions_are_for_coordinators_only(client, db, sign_in):
    sign_in("assessor")
    assert client.get("/assessors/suggestions.json?q=a").status_code == 403
