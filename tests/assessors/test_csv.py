"""CSV export (filters applied, formula injection guarded) and import (new assessors, and existing ones
matched by reference; a preview before anything is written; all rows or none, with a row-by-row report
of every problem)."""
from __future__ import annotations

import csv
import io

from scheduler.models import Assessor, AuditEvent
from tests import factories
from tests.csv_words import assert_in_words, rows_of

HEADER = "name,email,phone,specialisms,sector,employer,job_title,home_area,status\n"


def _rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_export_applies_the_filters(client, db, coordinator):
    factories.AssessorFactory(name="Child Person")
    factories.AssessorFactory(name="Adult Person", holds_children=False, holds_adults=True)
    response = client.get("/assessors/export.csv?specialism=adults")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert [r["Name"] for r in _rows(response)] == ["Adult Person"]
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="assessors.exported")).after["rows"] == 1


def test_export_guards_against_formula_injection(client, db, coordinator):
    factories.AssessorFactory(name="=HYPERLINK(\"http://evil.example\",\"x\")", phone="+44 1382 000000",
                              job_title="@SUM(A1)", email="minus@test.example")
    factories.AssessorFactory(name="-2+3", job_title="Head of Service")
    rows = _rows(client.get("/assessors/export.csv?sort=name"))
    cells = {r["Name"]: r for r in rows}
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in cells
    assert "'-2+3" in cells
    evil = cells["'=HYPERLINK(\"http://evil.example\",\"x\")"]
    assert evil["Phone"] == "'+44 1382 000000" and evil["Job title"] == "'@SUM(A1)"
    assert cells["'-2+3"]["Job title"] == "Head of Service"


def _upload(client, text: str, filename: str = "assessors.csv"):
    return client.post("/assessors/import", data={"file": (io.BytesIO(text.encode()), filename)},
                       content_type="multipart/form-data", follow_redirects=True)


def test_the_import_page_documents_the_columns(client, db, coordinator):
    page = client.get("/assessors/import")
    text = page.get_data(as_text=True)
    for column in ("name", "email", "specialisms", "sector", "employer", "job_title", "home_area"):
        assert f"<code>{column}</code>" in text


def _confirm(client, preview):
    form = preview.soup.find("form", action="/assessors/import/confirm")
    data = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name") != "csrf_token"}
    return client.post("/assessors/import/confirm", data=data, follow_redirects=True)


def test_a_valid_file_imports_every_row_and_is_audited(client, db, coordinator):
    existing = factories.AssessorFactory(reference="A00041")
    db.session.commit()
    preview = _upload(client, HEADER
                   + "Ann One,Ann.One@test.example,01382 1,children;adults,statutory,Fife Council,Head of Service,"
                     "Fife,\n"
                   + "Bob Two,bob.two@test.example,,justice,third,Aberlour Children's Charity,Director,angus,paused\n")
    assert db.session.scalar(db.select(db.func.count(Assessor.id))) == 1  # nothing stored before confirming
    page = _confirm(client, preview)
    assert "You imported the file: 2 new, 0 updated, 0 unchanged" in page.get_data(as_text=True)
    imported = {a.email: a for a in db.session.scalars(db.select(Assessor).where(Assessor.id != existing.id))}
    assert set(imported) == {"ann.one@test.example", "bob.two@test.example"}
    ann, bob = imported["ann.one@test.example"], imported["bob.two@test.example"]
    assert [s.value for s in ann.specialisms] == ["children", "adults"] and ann.home_area_id == "fife"
    assert bob.status == "paused" and bob.sector == "third" and bob.home_area_id == "angus"
    assert sorted([ann.reference, bob.reference]) == ["A00042", "A00043"]
    actions = list(db.session.scalars(db.select(AuditEvent.action)))
    assert actions.count("assessor.imported") == 2 and "assessors.imported" in actions


def test_one_bad_row_means_nothing_is_imported_and_every_problem_is_reported(client, db, coordinator):
    factories.AssessorFactory(email="taken@test.example")
    db.session.commit()
    page = _upload(client, HEADER
                   + "Good Row,good@test.example,,children,statutory,Fife Council,Head,Fife,\n"
                   + ",not-an-email,,astrology,private,Nowhere Council,Head,Atlantis,retired\n"
                   + "Dup One,dup@test.example,,adults,statutory,Fife Council,Head,Fife,\n"
                   + "Dup Two,DUP@test.example,,adults,statutory,Fife Council,Head,Fife,\n"
                   + "Taken,taken@test.example,,adults,statutory,Fife Council,Head,Fife,\n")
    assert page.status_code == 200 and page.soup.title.text.startswith("Error: Import assessors")
    report = [[c.get_text(strip=True) for c in row.find_all(["td", "th"])]
              for row in page.soup.select("#row-report ~ .app-table-scroll tbody tr")]
    assert ["3", "name", "Enter the name"] in report
    assert ["3", "email", "Enter an email address in the correct format, like name@example.org"] in report
    assert ["3", "specialisms", "astrology is not a specialism: use children, adults or justice"] in report
    assert ["3", "sector", "Must be statutory or third"] in report
    assert any(r[:2] == ["3", "employer"] and "No employer called Nowhere Council" in r[2] for r in report)
    assert ["3", "home_area", "Atlantis is not a Scottish council area"] in report
    assert ["3", "status", "Must be active, paused or left"] in report
    assert ["5", "email", "dup@test.example is also on line 4 of this file"] in report
    assert ["6", "email", "An assessor with taken@test.example is already in the service"] in report
    assert not any(r[0] in ("2", "4") for r in report)
    assert "3 rows of the file have problems: nothing was imported" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Assessor.id))) == 1
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="assessor.imported")) is None


def test_a_file_without_the_columns_or_not_a_csv_is_refused(client, db, coordinator):
    page = _upload(client, "who,what\nx,y\n")
    assert "missing name, email, specialisms, sector, employer, job_title, home_area" in page.get_data(as_text=True)
    page = _upload(client, HEADER, filename="assessors.xlsx")
    assert "The selected file must be a CSV" in page.get_data(as_text=True)
    page = client.post("/assessors/import", data={}, content_type="multipart/form-data")
    assert "Select a CSV file" in page.get_data(as_text=True)
    page = _upload(client, HEADER)
    assert "The file has a header row but no assessors" in page.get_data(as_text=True)


def test_a_line_break_or_control_character_in_a_cell_is_reported_naming_the_column(client, db, coordinator):
    page = _upload(client, HEADER
                   + '"Ann\r\nBcc: x@evil.example",ann@test.example,,children,statutory,Fife Council,Head,Fife,\n'
                   + "Bob Two,bob@test.example,\x0701382,children,statutory,Fife Council,Head,Fife,\n")
    report = [[c.get_text(strip=True) for c in row.find_all(["td", "th"])]
              for row in page.soup.select("#row-report ~ .app-table-scroll tbody tr")]
    assert ["3", "name", "Name must not contain line breaks or control characters"] in report  # the row ends on line 3
    assert ["4", "phone", "Phone must not contain line breaks or control characters"] in report
    assert db.session.scalar(db.select(db.func.count(Assessor.id))) == 0


def test_a_cell_over_the_csv_limit_is_a_clear_message_not_an_error(client, db, coordinator):
    page = _upload(client, HEADER + "Ann," + "a" * 131_073 + ",,children,statutory,Fife Council,Head,Fife,\n")
    assert page.status_code == 200
    assert "Line 2 of the file cannot be read as CSV" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Assessor.id))) == 0


def summary(preview) -> dict[str, str]:
    return {row.find("dt").get_text(strip=True): row.find("dd").get_text(strip=True)
            for row in preview.soup.select(".app-import-summary .govuk-summary-list__row")}


def test_an_edited_export_imports_back_updating_only_what_changed(client, db, coordinator):
    for n in range(3):
        factories.AgreementFactory(assessor=factories.AssessorFactory(name=f"Person {n}", phone="+44 1382 00000"))
    db.session.commit()
    exported = client.get("/assessors/export.csv").get_data(as_text=True)
    assert "'+44 1382 00000" in exported  # guarded on the way out, read back as it was
    edited = exported.replace("Person 1,", "Person One,", 1)
    preview = _upload(client, edited)
    assert summary(preview) == {"New assessors": "0", "Assessors updated": "1", "Assessors unchanged": "2"}
    assert "name: Person 1 to Person One" in preview.soup.get_text(" ")
    page = _confirm(client, preview)
    assert "You imported the file: 0 new, 1 updated, 2 unchanged" in page.get_data(as_text=True)
    names = sorted(db.session.scalars(db.select(Assessor.name)))
    assert names == ["Person 0", "Person 2", "Person One"]
    assert all(p == "+44 1382 00000" for p in db.session.scalars(db.select(Assessor.phone)))
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="assessor.updated_by_import"))
    assert event.before == {"name": "Person 1"} and event.after == {"name": "Person One"}


def test_an_unknown_or_repeated_reference_is_a_problem_on_its_line(client, db, coordinator):
    factories.AssessorFactory(reference="A00007", email="seven@test.example")
    db.session.commit()
    row = "Seven,seven@test.example,,children,statutory,Fife Council,Head,Fife,\n"
    page = _upload(client, "reference," + HEADER + "A00099," + row.replace("seven@", "new@") + "A00007," + row
                   + "A00007," + row)
    report = [[c.get_text(strip=True) for c in r.find_all(["td", "th"])]
              for r in page.soup.select("#row-report ~ .app-table-scroll tbody tr")]
    assert ["2", "reference", "No assessor has the reference A00099: leave it blank to add a new assessor"] in report
    assert ["4", "reference", "A00007 is also on line 3 of this file"] in report
    assert not any(r[0] == "3" for r in report)


def test_an_update_may_not_take_another_assessors_email(client, db, coordinator):
    factories.AssessorFactory(reference="A00001", email="one@test.example")
    factories.AssessorFactory(reference="A00002", email="two@test.example")
    db.session.commit()
    page = _upload(client, "reference," + HEADER
                   + "A00001,One,two@test.example,,children,statutory,Fife Council,Head,Fife,\n")
    assert "An assessor with two@test.example is already in the service (A00002)" in page.soup.get_text(" ")


def test_a_confirmation_after_the_assessors_changed_shows_the_preview_again(client, db, coordinator):
    a = factories.AssessorFactory(reference="A00005", name="Before Name")
    db.session.commit()
    preview = _upload(client, "reference," + HEADER
                      + "A00005,After Name,assessor0@test.example,,children,statutory,Fife Council,Head,Fife,\n")
    a.name = "Someone Else Changed It"
    db.session.commit()
    page = _confirm(client, preview)
    assert "Assessors in this file changed after you checked it" in page.get_data(as_text=True)
    assert db.session.get(Assessor, a.id).name == "Someone Else Changed It"


def test_the_export_is_in_words_and_imports_back(client, db, coordinator):
    """Headers and values as people read them ("Home area", "Third sector"); the import takes those
    words as well as the codes its page documents, so an export edited in a spreadsheet imports back."""
    third = factories.AssessorFactory(name="Third Person", sector="third", holds_adults=True, status="paused")
    factories.AgreementFactory(assessor=third)
    factories.AssessorFactory(name="No Agreement")
    db.session.commit()
    response = client.get("/assessors/export.csv?sort=name")
    rows = rows_of(response)
    assert_in_words(rows)
    assert rows[0] == ["Reference", "Name", "Email", "Phone", "Specialisms", "Sector", "Employer", "Job title",
                       "Home area", "Status", "Employer agreement"]
    exported = {r["Name"]: r for r in _rows(response)}
    assert exported["Third Person"]["Specialisms"] == "Children and young people; Adults and older people"
    assert (exported["Third Person"]["Sector"], exported["Third Person"]["Status"]) == ("Third sector", "Paused")
    assert exported["No Agreement"]["Employer agreement"] == "None"
    preview = _upload(client, response.get_data(as_text=True).replace("Third Person,", "Third Renamed,", 1))
    assert summary(preview) == {"New assessors": "0", "Assessors updated": "1", "Assessors unchanged": "1"}
    _confirm(client, preview)
    db.session.refresh(third)
    assert (third.name, third.sector, third.status) == ("Third Renamed", "third", "paused")
    assert {s.value for s in third.specialisms} == {"children", "adults"}


def test_a_file_over_two_megabytes_is_refused_with_a_clear_message(client, db, coordinator):
    row = "Ann Other,ann@test.example,,children,statutory,Fife Council,Head,Fife,\n"
    page = _upload(client, HEADER + row * (2 * 1024 * 1024 // len(row) + 1))
    assert page.status_code == 200
    assert "The selected file must be smaller than 2MB" in page.soup.select_one(".govuk-error-summary").get_text()
    assert db.session.scalar(db.select(db.func.count(Assessor.id))) == 0


def test_a_file_over_the_row_cap_is_refused_with_a_clear_message(client, db, coordinator):
    rows = "".join(f"Ann Other {n},ann{n}@test.example,,children,statutory,Fife Council,Head,Fife,\n"
                   for n in range(5001))
    page = _upload(client, HEADER + rows)
    assert page.status_code == 200
    assert "The file must have no more than 5,000 rows" in page.soup.select_one(".govuk-error-summary").get_text()
    assert db.session.scalar(db.select(db.func.count(Assessor.id))) == 0

