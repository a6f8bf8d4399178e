"""The database keeps the register's vocabularies and date order, and two editors cannot both win."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from scheduler.models import Notification
from tests import factories


@pytest.mark.parametrize("field,value", [
    ("kind", "rumour"),
    ("status", "lost"),
    ("source", "carrier_pigeon"),
    ("subject_dob", date(2028, 1, 1)),            # born after the death
    ("notified_at", datetime(2027, 12, 23, 9, 0)),  # notified before the event
    ("report_received_on", date(2027, 12, 1)),
    ("closed_on", date(2027, 12, 1)),
])
def test_check_constraints_refuse_impossible_notifications(db, field, value):
    _refused(db, lambda: factories.NotificationFactory(event_date=date(2027, 12, 24), **{field: value}))


def _refused(db, make):
    with pytest.raises(IntegrityError):
        make()
        db.session.commit()
    db.session.rollback()


def test_an_extension_must_move_the_date_later(db):
    _refused(db, lambda: factories.ExtensionFactory(previous_due_on=date(2028, 1, 21), new_due_on=date(2028, 1, 21)))


def test_a_partner_link_must_expire_after_it_was_made(db):
    _refused(db, lambda: factories.PartnerLinkFactory(created_at=datetime(2028, 1, 10),
                                                      expires_at=datetime(2028, 1, 9)))


def test_two_editors_of_one_notification_cannot_both_save(app, db):
    n = factories.NotificationFactory()
    db.session.commit()
    other = db.session.session_factory()  # a second person's session
    theirs = other.get(Notification, n.id)
    theirs.status = "closed"
    other.commit()
    other.close()
    n.status = "report_due"
    with pytest.raises(StaleDataError):
        db.session.commit()
    db.session.rollback()
