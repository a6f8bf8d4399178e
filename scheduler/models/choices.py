"""The closed vocabularies of the domain, each with the words users see."""
from __future__ import annotations

from enum import StrEnum

import sqlalchemy as sa

from solver import wording


class LabelledEnum(StrEnum):
    @property
    def label(self) -> str:
        return self._labels()[self.value]

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {m.value: m.value.replace("_", " ").capitalize() for m in cls}

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


class Role(LabelledEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    INSPECTOR = "inspector"
    ASSESSOR = "assessor"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "admin": "Recruitment admin",
            "coordinator": "Coordinator",
            "inspector": "Strategic inspector",
            "assessor": "Associate assessor",
        }


class Specialism(LabelledEnum):
    CHILDREN = "children"
    ADULTS = "adults"
    JUSTICE = "justice"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return dict(wording.SPECIALISMS)


class Sector(LabelledEnum):
    STATUTORY = "statutory"
    THIRD = "third"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"statutory": "Statutory", "third": "Third sector"}


class AssessorStatus(LabelledEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"


class AgreementStatus(LabelledEnum):
    REQUESTED = "requested"
    AGREED = "agreed"
    DECLINED = "declined"
    EXPIRED = "expired"


class InspectionType(LabelledEnum):
    CHILDREN = "children"
    ADULTS = "adults"
    JUSTICE = "justice"
    THEMATIC = "thematic"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {**wording.SPECIALISMS, "thematic": "National thematic"}


class InspectionStatus(LabelledEnum):
    DRAFT = "draft"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class DeploymentStatus(LabelledEnum):
    PROPOSED = "proposed"
    EMPLOYER_CONFIRMED = "employer_confirmed"
    EMPLOYER_DECLINED = "employer_declined"
    ASSESSOR_DECLINED = "assessor_declined"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class EmployerKind(LabelledEnum):
    COUNCIL = "council"
    NHS_BOARD = "nhs_board"
    THIRD_SECTOR = "third_sector"
    OTHER_STATUTORY = "other_statutory"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"council": "Council", "nhs_board": "NHS board", "third_sector": "Third sector",
                "other_statutory": "Other statutory body"}


class ApplicationStatus(LabelledEnum):
    SUBMITTED = "submitted"
    SHORTLISTED = "shortlisted"
    REJECTED = "rejected"
    ADMITTED = "admitted"


class SolveRunStatus(LabelledEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"
    FAILED = "failed"
    INTERRUPTED = "interrupted"     # the process running it shut down; nothing was changed


class MessageStatus(LabelledEnum):
    """Where an outbox message is: written with the change, then sent, or retried with backoff until
    it is sent or given up on (failed, with the reason)."""

    PENDING = "pending"
    RETRYING = "retrying"
    SENT = "sent"
    FAILED = "failed"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"pending": "Waiting to be sent", "retrying": "Retrying", "sent": "Sent", "failed": "Failed"}

    @property
    def tag_colour(self) -> str:
        return {"pending": "grey", "retrying": "yellow", "sent": "green", "failed": "red"}[self.value]


def one_of(column: str, enum: type[StrEnum]) -> sa.CheckConstraint:
    """A CHECK constraint that keeps a text column inside its vocabulary."""
    values = ", ".join(f"'{m.value}'" for m in enum)
    return sa.CheckConstraint(f"{column} IN ({values})", name=f"{column}_allowed")

