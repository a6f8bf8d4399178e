"""What the emails about a deployment say, in one place: the publish check page lists the very
subjects these functions write, and publishing sends them. Each email says in plain words what is
asked of the reader, names the inspection by title and dates (weekday, "5 April 2027"), not only
its reference, and links to the service (an absolute URL from BASE_URL)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from scheduler.formatting import day_with_weekday
from scheduler.links import external_url
from scheduler.models import Assessor, Deployment, EmployerAgreement, Inspection

PROPOSED, CHANGED, WITHDRAWN = "proposed", "changed", "withdrawn"
# Why a deployment is withdrawn (status.withdraw's `why`): the publisher's re-plan left them out, or a
# coordinator marked the assessor as having left the pool.
REPLANNED, LEFT = "re-planned", "left"


def inspection_words(inspection: Inspection) -> str:
    """'Joint inspection in Dundee (I0002), Monday 15 March 2027 to Friday 26 March 2027'."""
    return (f"{inspection.title} ({inspection.reference}), {day_with_weekday(inspection.starts_on)} to "
            f"{day_with_weekday(inspection.ends_on)}")


def days_words(days: Iterable[date | str]) -> str:
    """A deployment's days in every email and on the employer's answer page: '3 days: Monday 1 March
    2027, Tuesday 2 March 2027 and Friday 5 March 2027'."""
    ds = _dates(days)
    words = [day_with_weekday(d) for d in ds]
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"{len(ds)} day{'s' if len(ds) != 1 else ''}: {listed}" if ds else ""


def contact_to_ask(assessor: Assessor, days: Iterable[date | str]) -> EmployerAgreement | None:
    """The agreement whose employer contact is asked to confirm the assessor's release on these
    days (the planner's rule for which agreement applies), once someone has verified that its
    contact is the employer's; None if nobody is to be asked yet."""
    from scheduler.employer import contacts
    from scheduler.planning import agreements

    # The one rule, as employer.deployments.contact_for applies it; this adds only that the contact is verified.
    agreement = agreements.for_days(assessor, _dates(days))
    return agreement if agreement is not None and contacts.is_verified(agreement) else None


def _dates(days: Iterable[date | str]) -> list[date]:
    return sorted(date.fromisoformat(d) if isinstance(d, str) else d for d in days)


# ----------------------------------------------------------------------------- to the employer

def employer_subject(assessor: Assessor, inspection: Inspection) -> str:
    return f"Please confirm {assessor.name}'s release for {inspection.title} ({inspection.reference})"


def employer_asked(assessor: Assessor) -> str:
    """What the employer is asked, in a phrase (the check page shows it)."""
    return f"Asked to confirm or decline releasing {assessor.name} ({assessor.reference})"


def employer_body(deployment: Deployment, agreement: EmployerAgreement, link: str, expires: date) -> str:
    assessor, inspection = deployment.assessor, deployment.inspection
    return (f"Dear {agreement.contact_name},\n\n"
            f"Under your agreement to release {assessor.name} ({assessor.reference}) for joint inspections, "
            f"we propose that they join the team for:\n\n"
            f"{inspection_words(inspection)}\n"
            f"Their days: {days_words(deployment.days)}\n\n"
            f"What we ask of you: please tell us whether you can release {assessor.name} on these days. "
            f"Open this link, choose yes or no and send your answer (the link works once, until "
            f"{day_with_weekday(expires)}):\n{link}\n\n"
            f"If you cannot release them, say why: we will look for someone else.\n")


def employer_withdrawn_subject(assessor: Assessor, inspection: Inspection) -> str:
    return f"{assessor.name} is no longer needed for {inspection.title} ({inspection.reference})"


def employer_told(assessor: Assessor) -> str:
    """What the employer is told of a withdrawal, in a phrase (the check page shows it)."""
    return f"Told that {assessor.name} ({assessor.reference}) is no longer needed: nothing is asked of them"


def employer_withdrawn_body(deployment: Deployment, agreement: EmployerAgreement, why: str) -> str:
    assessor, inspection = deployment.assessor, deployment.inspection
    because = {REPLANNED: "the inspection team has been re-planned without them",
               LEFT: f"{assessor.name} has been marked as having left our pool of associate assessors"}[why]
    return (f"Dear {agreement.contact_name},\n\n"
            f"We no longer need {assessor.name} ({assessor.reference}) for:\n\n"
            f"{inspection_words(inspection)}\n"
            f"The days we asked you to release them for: {days_words(deployment.days)}\n\n"
            f"Why: {because}.\n\n"
            f"Nothing is needed from you: you need not release them on those days, and if you have not yet "
            f"answered our request to confirm their release, there is nothing left to answer.\n")


# ----------------------------------------------------------------------------- to the assessor

def assessor_subject(what: str, inspection: Inspection) -> str:
    named = f"{inspection.title} ({inspection.reference})"
    return {PROPOSED: f"Proposed deployment: {named}, from {day_with_weekday(inspection.starts_on)}",
            CHANGED: f"Your days on {named} have changed",
            WITHDRAWN: f"You are no longer needed for {named}"}[what]


def assessor_asked(what: str) -> str:
    """What the assessor is asked (or told), in a phrase (the check page shows it)."""
    if what == WITHDRAWN:
        return "Told they are no longer needed: nothing is asked of them"
    return "Asked to check their days, and to decline in the service if they cannot do them"


def assessor_body(deployment: Deployment, what: str, why: str | None = None) -> str:
    """The email to the assessor; a withdrawal says why (`why`: REPLANNED or LEFT)."""
    a, i = deployment.assessor, deployment.inspection
    if what == WITHDRAWN:
        happened = {REPLANNED: f"The team for {inspection_words(i)} has been re-planned and you are no longer "
                               f"proposed for it.",
                    LEFT: f"A coordinator has marked you as having left the pool of associate assessors, so you "
                          f"are no longer on the team for {inspection_words(i)}."}[why]
        return (f"Dear {a.name},\n\n{happened} Nothing is needed from you: those days are yours again.\n\n"
                f"Your deployments: {external_url('my.deployments')}\n")
    opening = ("You are proposed for the team of" if what == PROPOSED
               else "Your days have changed on the team of")
    asked = contact_to_ask(a, deployment.days) is not None
    employer = ("We have asked your employer to confirm your release." if asked
                else "We will ask your employer to confirm your release.")
    return (f"Dear {a.name},\n\n{opening}:\n\n{inspection_words(i)}\n"
            f"Your days: {days_words(deployment.days)}\n\n"
            f"What we ask of you: check these days. If you can do them, you need do nothing: {employer} "
            f"If you cannot, decline the deployment in the service and say why, so that we can find "
            f"someone else:\n{external_url('my.deployment', deployment_id=deployment.id)}\n")
