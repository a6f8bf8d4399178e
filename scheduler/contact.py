"""How people reach the team that runs the service: one place, read from the configuration
(ORGANISATION_NAME, CONTACT_EMAIL, CONTACT_PHONE, CONTACT_HOURS), so every page and email that says
"contact us" gives the same, real details."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True)
class Contact:
    organisation: str
    email: str
    phone: str | None
    hours: str

    @property
    def in_words(self) -> str:
        """For plain text (emails, flashes): 'email a@b.org or phone 0131 496 0000 (Monday to Friday, 9am to 5pm)'."""
        phone = f" or phone {self.phone} ({self.hours})" if self.phone else ""
        return f"email {self.email}{phone}"


def service_contact() -> Contact:
    config = current_app.config
    return Contact(config["ORGANISATION_NAME"], config["CONTACT_EMAIL"], config.get("CONTACT_PHONE"),
                   config["CONTACT_HOURS"])
