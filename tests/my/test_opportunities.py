"""Inspections an assessor could join, and their wish for each: only those the rules allow are
listed, a wish is audited, and it can be changed until teams are published."""
from __future__ import annotations

import re
from datetime import date

import pytest

from scheduler.models import AuditEvent, Preference
from tests import factories as f


@pytest.fixture()
def offered(db, me):
    """me: children specialism, home area Fife, employer Fife Council, agreement for 2027."""
    f.AgreementFactory(assessor=me)
    angus = f.InspectionFactory(reference="I0101", title="Joint inspection in Angus",
                                starts_on=date(2027, 4, 5), ends_on=date(2027, 4, 16))
    dundee = f.InspectionFactory(reference="I0102", title="Joint inspection in Dundee", area=f.area("dundee-city"),
                                 starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 12))
    hidden = {
        "own area": f.InspectionFactory(reference="I0103", title="Own area", area=f.area("fife")),
        "employer excluded": f.InspectionFactory(reference="I0104", title="Employer excluded",
                                                 excluded_employers=[f.employer("Fife Council")]),
        "adults seat only": f.InspectionFactory(reference="I0105", title="Adults seat only"),
        "after the agreement": f.InspectionFactory(reference="I0106", title="After the agreement",
                                                   starts_on=date(2028, 3, 6), ends_on=date(2028, 3, 17)),
        "already over": f.InspectionFactory(reference="I0107", title="Already over",
                                            starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 13)),
    }
    for i in (angus, dundee, *hidden.values()):
        f.SeatFactory(inspection=i, specialism="adults" if i.reference == "I0105" else "children")
    db.session.commit()
    return angus, dundee, hidden


def _choose(client, inspection, **data):
    return client.post(f"/my/opportunities/{inspection.id}", data=data, follow_redirects=True)


def test_only_inspections_the_rules_allow_are_listed_with_dates_and_place(client, offered):
    angus, dundee, hidden = offered
    text = client.get("/my/opportunities").get_data(as_text=True)
    assert text.index("Joint inspection in Dundee") < text.index("Joint inspection in Angus")   # by date
    assert "Monday 5 April to Friday 16 April 2027" in text and "Dundee City" in text
    for title in ("Own area", "Employer excluded", "Adults seat only", "After the agreement", "Already over"):
        assert title not in text
    assert "not in your own area or for your employer" in text


def test_an_inspection_not_offered_cannot_be_chosen(client, db, me, offered):
    _, _, hidden = offered
    assert client.get(f"/my/opportunities/{hidden['own area'].id}").status_code == 404
    assert _choose(client, hidden["employer excluded"], choice="keen").status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(Preference)) == 0


def test_the_overview_links_to_the_inspections_they_could_join(client, offered):
    assert 'href="/my/opportunities"' in client.get("/my").get_data(as_text=True)


def test_a_wish_is_saved_with_its_note_and_audited(client, db, me, offered):
    angus, _, _ = offered
    page = _choose(client, angus, choice="keen", note="I know this partnership's work")
    assert "I&#39;d like to join" in page.get_data(as_text=True)
    wish = db.session.scalar(db.select(Preference))
    assert (wish.assessor_id, wish.inspection_id, wish.kind, wish.note) == (me.id, angus.id, "keen",
                                                                          "I know this partnership's work")
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="preference.changed"))
    assert event.object_id == "I0101" and event.before is None and event.after["kind"] == "keen"


def test_no_preference_removes_the_wish(client, db, me, offered):
    angus, _, _ = offered
    _choose(client, angus, choice="rather_not")
    _choose(client, angus, choice="none")
    assert db.session.scalar(db.select(db.func.count()).select_from(Preference)) == 0
    events = list(db.session.scalars(db.select(AuditEvent).filter_by(action="preference.changed")
                                     .order_by(AuditEvent.id)))
    assert [e.after for e in events] == [{"kind": "rather_not", "note": ""}, None]


def test_a_missing_choice_or_long_note_is_named_and_the_note_kept(client, db, offered):
    angus, _, _ = offered
    text = _choose(client, angus, note="Keep me").get_data(as_text=True)
    assert "Select whether you would like to join this inspection" in text and "Keep me" in text
    text = _choose(client, angus, choice="keen", note="x" * 201).get_data(as_text=True)
    assert "Note must be 200 characters or fewer" in text
    assert db.session.scalar(db.select(db.func.count()).select_from(Preference)) == 0


def test_after_teams_are_published_the_wish_is_shown_but_cannot_change(client, db, me, offered):
    angus, _, _ = offered
    _choose(client, angus, choice="keen")
    f.DeploymentFactory(inspection=angus, assessor=f.AssessorFactory(home_area=f.area("dundee-city")))
    db.session.commit()
    text = _choose(client, angus, choice="rather_not").get_data(as_text=True)
    assert "Teams for this inspection have been published" in text and 'type="radio"' not in text
    assert db.session.scalar(db.select(Preference)).kind == "keen"
    assert "(teams published)" in client.get("/my/opportunities").get_data(as_text=True)


def test_the_choices_are_radios_in_a_fieldset_whose_legend_asks_the_question(client, offered):
    angus, _, _ = offered
    text = client.get(f"/my/opportunities/{angus.id}").get_data(as_text=True)
    legend = re.search(r"<fieldset[^>]*>\s*<legend[^>]*>(.*?)</legend>(.*?)</fieldset>", text, re.S)
    assert legend and "Would you like to join this inspection?" in legend.group(1)
    assert legend.group(2).count('type="radio"') == 3
