"""Adding and editing an inspection: every rule is checked with a message on its field, and nothing typed is lost."""
from __future__ import annotations

from datetime import date

from scheduler.extensions import db
from scheduler.models import AuditEvent, Inspection
from tests import factories
from tests.inspections.helpers import date_parts, employer_id, error_for, inspection_form


def _only_inspection() -> Inspection:
    return db.session.scalars(db.select(Inspection)).one()


def _checked(response, name: str) -> list[str]:
    return [i["value"] for i in response.soup.find_all("input", attrs={"name": name}) if i.has_attr("checked")]


def _offered(response, name: str) -> list[str]:
    return [i["value"] for i in response.soup.find_all("input", attrs={"name": name})]


def test_a_coordinator_adds_an_inspection_with_days_seats_and_exclusions(client, sign_in):
    sign_in("coordinator")
    response = client.post("/inspections/new", data=inspection_form(
        mandatory_days=["2027-03-01", "2027-03-08", "2027-03-09"],
        adults_count="1", adults_min="5", adults_max="6",
    ))
    assert response.status_code == 302, error_summary(response)
    inspection = _only_inspection()
    assert response.headers["Location"].endswith(f"/inspections/{inspection.id}")
    assert inspection.reference == "I0001"
    assert inspection.area_id == "angus" and inspection.type == "children"
    assert inspection.partner_bodies == ["Care Inspectorate", "Education Scotland"]
    assert len(inspection.working_days) == 10
    assert inspection.mandatory_days == [date(2027, 3, 1), date(2027, 3, 8), date(2027, 3, 9)]
    assert [(s.specialism, s.count, s.min_days, s.max_days) for s in inspection.seats] == [
        ("adults", 1, 5, 6), ("children", 2, 4, 8)]
    assert [e.name for e in inspection.excluded_employers] == ["Angus Council", "NHS Tayside"]
    event = db.session.scalars(db.select(AuditEvent).filter_by(action="inspection.created")).one()
    assert event.before is None and event.after["working_days"][0] == "2027-03-01"
    page = client.get(response.headers["Location"])
    assert "I0001" in page.get_data(as_text=True)


def error_summary(response) -> str:
    summary = getattr(response, "soup", None) and response.soup.find(class_="govuk-error-summary")
    return summary.get_text(" ", strip=True) if summary else response.get_data(as_text=True)[:300]


def test_working_days_exclude_weekends_and_scottish_bank_holidays(client, sign_in):
    sign_in("coordinator")
    # 23 November to 4 December 2026 includes St Andrew's Day, Monday 30 November.
    response = client.post("/inspections/new", data=inspection_form(
        start=date(2026, 11, 23), end=date(2026, 12, 4), days_for="", working_days=[], mandatory_days=[],
        save=None, update="Work out days and exclusions"))
    assert response.status_code == 200
    offered = _offered(response, "working_days")
    assert len(offered) == 10 and "2026-11-28" not in offered  # weekdays only
    assert "2026-11-30" in offered and "2026-11-30" not in _checked(response, "working_days")
    assert len(_checked(response, "working_days")) == 9
    assert "Bank holiday: Saint Andrew's Day" in response.soup.get_text()
    assert not response.soup.find(class_="govuk-error-summary")  # working out days is not an error


def test_first_save_works_out_the_days_and_asks_to_check_them(client, sign_in):
    sign_in("coordinator")
    response = client.post("/inspections/new", data=inspection_form(
        days_for="", proposed_for="", working_days=[], mandatory_days=[], excluded_employers=[]))
    assert response.status_code == 200
    assert db.session.scalar(db.select(db.func.count(Inspection.id))) == 0
    assert "We have worked out the working days" in response.soup.get_text()
    assert len(_checked(response, "working_days")) == 10
    assert set(_checked(response, "excluded_employers")) == {
        str(employer_id("Angus Council")), str(employer_id("NHS Tayside"))}
    # Everything typed is still there.
    assert response.soup.find(id="title")["value"].startswith("Joint inspection")
    assert response.soup.find(id="children_count")["value"] == "2"


def test_mandatory_day_outside_working_days_is_refused_with_a_field_error(client, sign_in):
    sign_in("coordinator")
    data = inspection_form()
    data["working_days"] = [d for d in data["working_days"] if d != "2027-03-05"]
    data["mandatory_days"] = ["2027-03-01", "2027-03-05"]
    response = client.post("/inspections/new", data=data)
    assert response.status_code == 200
    assert "5 March 2027 is not a working day" in error_for(response, "mandatory_days")
    assert response.soup.title.get_text().startswith("Error: ")
    assert set(_checked(response, "mandatory_days")) == {"2027-03-01", "2027-03-05"}  # kept as typed
    assert db.session.scalar(db.select(db.func.count(Inspection.id))) == 0


def test_a_bank_holiday_can_be_ticked_as_a_working_day_by_hand(client, sign_in):
    sign_in("coordinator")
    start, end = date(2026, 11, 23), date(2026, 12, 4)
    data = inspection_form(start=start, end=end)
    data["working_days"] = [*data["working_days"], "2026-11-30"]
    data["mandatory_days"] = ["2026-11-30"]
    response = client.post("/inspections/new", data=data)
    assert response.status_code == 302, error_summary(response)
    assert date(2026, 11, 30) in _only_inspection().mandatory_days


def test_seat_minimum_above_maximum_is_refused(client, sign_in):
    sign_in("coordinator")
    response = client.post("/inspections/new", data=inspection_form(children_min="9", children_max="6"))
    assert "Maximum days must be the same as or more than the minimum days (9)" in error_for(response, "children_max")
    assert response.soup.find(id="children_min")["value"] == "9"


def test_seat_days_outside_4_to_12_are_refused(client, sign_in):
    sign_in("coordinator")
    response = client.post("/inspections/new", data=inspection_form(children_min="3", children_max="13"))
    assert error_for(response, "children_min").endswith("Minimum days must be between 4 and 12")
    assert error_for(response, "children_max").endswith("Maximum days must be between 4 and 12")
    response = client.post("/inspections/new", data=inspection_form(children_min="four"))
    assert "Minimum days must be a whole number" in error_for(response, "children_min")


def test_seat_count_must_be_at_least_one_and_one_seat_is_needed(client, sign_in):
    sign_in("coordinator")
    response = client.post("/inspections/new", data=inspection_form(children_count="0"))
    assert "Number of seats must be 1 or more" in error_for(response, "children_count")
    response = client.post("/inspections/new", data=inspection_form(children_count=""))
    assert "Enter the number of seats for at least one specialism" in error_for(response, "children_count")


def test_seat_minimum_cannot_exceed_the_working_days(client, sign_in):
    sign_in("coordinator")
    data = inspection_form(children_min="6")
    data["working_days"] = data["working_days"][:5]
    data["mandatory_days"] = []
    response = client.post("/inspections/new", data=data)
    assert "no more than the 5 working days" in error_for(response, "children_min")


def test_national_only_for_thematic(client, sign_in):
    sign_in("coordinator")
    response = client.post("/inspections/new", data=inspection_form(
        area_id="", proposed_for="", excluded_employers=[]))
    assert "only a national thematic inspection can be national" in error_for(response, "area_id")
    response = client.post("/inspections/new", data=inspection_form(
        type="thematic", area_id="", proposed_for="", excluded_employers=[],
        title="National thematic review of adult support and protection"))
    assert response.status_code == 302, error_summary(response)
    assert _only_inspection().area_id is None


def test_excluded_employers_proposed_from_the_area(client, sign_in):
    sign_in("coordinator")
    # Choosing Fife proposes Fife Council and NHS Fife; moving to Angus swaps them, keeping a hand-picked one.
    barnardos = str(employer_id("Barnardo's Scotland"))
    response = client.post("/inspections/new", data=inspection_form(
        area_id="fife", proposed_for="", excluded_employers=[barnardos], save=None, update="Work out"))
    assert set(_checked(response, "excluded_employers")) == {
        barnardos, str(employer_id("Fife Council")), str(employer_id("NHS Fife"))}
    response = client.post("/inspections/new", data=inspection_form(
        area_id="angus", proposed_for="fife", save=None, update="Work out",
        excluded_employers=[barnardos, str(employer_id("Fife Council")), str(employer_id("NHS Fife"))]))
    assert set(_checked(response, "excluded_employers")) == {
        barnardos, str(employer_id("Angus Council")), str(employer_id("NHS Tayside"))}


def test_excluded_employers_stay_editable(client, sign_in):
    sign_in("coordinator")
    response = client.post("/inspections/new", data=inspection_form(
        excluded_employers=[str(employer_id("Angus Council"))]))  # NHS Tayside unticked on purpose
    assert response.status_code == 302, error_summary(response)
    assert [e.name for e in _only_inspection().excluded_employers] == ["Angus Council"]


def test_period_errors_keep_what_was_typed(client, sign_in):
    sign_in("coordinator")
    response = client.post("/inspections/new", data=inspection_form(
        ends_on=["28", "2", "2027"], title="Kept title"))
    assert "The end date must be the same as or after the start date" in error_for(response, "ends_on-date")
    assert response.soup.find(id="title")["value"] == "Kept title"
    response = client.post("/inspections/new", data=inspection_form(starts_on=["31", "2", "2027"]))
    assert "Start date must be a real date" in error_for(response, "starts_on-date")
    # The day lists already shown stay, with their ticks, while the date is corrected.
    assert len(_checked(response, "working_days")) == 10


def test_required_fields_have_specific_messages(client, sign_in):
    sign_in("coordinator")
    response = client.post("/inspections/new", data=inspection_form(title="", type=None, partner_bodies=[]))
    assert "Enter the title of the inspection" in error_for(response, "title")
    assert "Select the type of inspection" in error_for(response, "type")
    assert "Select at least one partner body" in error_for(response, "partner_bodies")


def test_changing_the_period_keeps_ticks_on_days_already_seen(client, sign_in):
    sign_in("coordinator")
    data = inspection_form(ends_on=date_parts(date(2027, 3, 19)))  # period grown by a week
    data["working_days"] = [d for d in data["working_days"] if d != "2027-03-03"]
    response = client.post("/inspections/new", data=data)
    assert response.status_code == 200
    checked = _checked(response, "working_days")
    assert "2027-03-03" not in checked and "2027-03-15" in checked and len(checked) == 14
    assert db.session.scalar(db.select(db.func.count(Inspection.id))) == 0


def test_edit_saves_changes_moves_the_version_and_audits_before_and_after(client, sign_in):
    inspection = factories.InspectionFactory(working_days__mandatory=[date(2027, 3, 1)])
    factories.SeatFactory(inspection=inspection)
    sign_in("coordinator")
    page = client.get(f"/inspections/{inspection.id}/edit")
    version = page.soup.find("input", attrs={"name": "version_id"})["value"]
    assert version == str(inspection.version_id)
    data = inspection_form(version_id=version, title="Renamed", adults_count="1",
                           mandatory_days=["2027-03-01", "2027-03-02"])
    response = client.post(f"/inspections/{inspection.id}/edit", data=data)
    assert response.status_code == 302, error_summary(response)
    db.session.refresh(inspection)
    assert inspection.title == "Renamed" and inspection.version_id == int(version) + 1
    assert inspection.mandatory_days == [date(2027, 3, 1), date(2027, 3, 2)]
    event = db.session.scalars(db.select(AuditEvent).filter_by(action="inspection.updated")).one()
    assert event.before["title"] != "Renamed" and event.after["title"] == "Renamed"
    assert event.before["mandatory_days"] == ["2027-03-01"]
    assert [s["specialism"] for s in event.after["seats"]] == ["adults", "children"]


def test_edit_with_stale_version_shows_conflict_and_keeps_input(client, sign_in):
    inspection = factories.InspectionFactory()
    factories.SeatFactory(inspection=inspection)
    sign_in("coordinator")
    stale = str(inspection.version_id)
    inspection.title = "Changed by a colleague"
    db.session.flush()
    response = client.post(f"/inspections/{inspection.id}/edit",
                           data=inspection_form(version_id=stale, title="My new title", children_count="3"))
    assert response.status_code == 409
    text = response.soup.get_text(" ", strip=True)
    assert "Someone else saved changes to this inspection" in text
    assert "Changed by a colleague" in text  # what is saved now
    assert response.soup.find(id="title")["value"] == "My new title"
    assert response.soup.find(id="children_count")["value"] == "3"
    assert response.soup.title.get_text().startswith("Error: ")
    db.session.refresh(inspection)
    assert inspection.title == "Changed by a colleague"
    # Saving again, knowingly, replaces their version.
    current = response.soup.find("input", attrs={"name": "version_id"})["value"]
    assert current == str(inspection.version_id)
    again = client.post(f"/inspections/{inspection.id}/edit",
                        data=inspection_form(version_id=current, title="My new title", children_count="3"))
    assert again.status_code == 302, error_summary(again)


def test_edit_form_shows_the_saved_inspection(client, sign_in):
    inspection = factories.InspectionFactory(working_days__mandatory=[date(2027, 3, 2)])
    factories.SeatFactory(inspection=inspection, count=3, min_days=5, max_days=9)
    inspection.excluded_employers = [factories.employer("Angus Council")]
    sign_in("admin")
    page = client.get(f"/inspections/{inspection.id}/edit")
    assert page.status_code == 200
    assert _checked(page, "mandatory_days") == ["2027-03-02"]
    assert len(_checked(page, "working_days")) == 10
    assert page.soup.find(id="children_count")["value"] == "3"
    assert page.soup.find(id="children_max")["value"] == "9"
    assert _checked(page, "excluded_employers") == [str(employer_id("Angus Council"))]


def test_references_follow_on(client, sign_in):
    factories.InspectionFactory(reference="I0041", area=factories.area("fife"))  # not like the new one
    sign_in("coordinator")
    response = client.post("/inspections/new", data=inspection_form())
    assert response.status_code == 302
    assert db.session.scalar(db.select(Inspection.reference).order_by(Inspection.id.desc()).limit(1)) == "I0042"


def test_working_out_days_without_a_period_says_what_is_missing(client, sign_in):
    sign_in("coordinator")
    response = client.post("/inspections/new", data=inspection_form(
        title="", starts_on=["", "", ""], ends_on=["", "", ""], days_for="", working_days=[], mandatory_days=[],
        save=None, update="Work out days and exclusions"))
    assert error_for(response, "starts_on-date").endswith("Enter the start date")
    assert error_for(response, "ends_on-date").endswith("Enter the end date")
    assert error_for(response, "title") == ""  # only the period is checked when working out days
