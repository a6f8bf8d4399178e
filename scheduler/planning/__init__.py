"""Database rows -> solver.Instance, and solver.Plan -> proposed deployments.

The instance is the spec's format (`assessor-deployment-instance/1`) with assessor references
(A00017) and inspection references (I0003) as ids. It is built with a handful of bulk queries
(columns, not ORM objects), so a national programme builds in well under two seconds.

What goes in
------------
* **Areas**: every council area; a national inspection (no area) is placed in a synthetic area
  ``scotland`` at the country's centre, which is nobody's home area.
* **Assessors**: every *active* assessor, with the AGREED employer agreement that overlaps the
  planning horizon most (the latest on a tie), or none; their unavailability ranges in the horizon.
  Days an assessor (or their employer) *declined* on a deployment are added as unavailable: the
  solver must not offer the same days again.
* **Inspections in scope**: planned or in-progress inspections with at least one day that overlap
  the chosen dates, or the chosen references; their days, mandatory days, excluded employers'
  names and seats.
* **Pinned**: live deployments in scope that are ``employer_confirmed`` or pinned by a coordinator,
  provided they still keep every rule (one that no longer does is *flagged* instead and re-planned).
* **Deployments outside the scope** that fall in an assessor's agreement window still use that
  assessor's days, deployment count and agreed total. They are included exactly, as pinned entries
  on *context inspections* (the real inspection reference, its days and area, one seat per
  specialism whose count equals the deployments already there, so nothing is left to fill). One
  that cannot be pinned (it no longer keeps a rule) falls back to blocking its days and reducing
  the agreed total. Context inspections never appear in results or on publish.
* ``non_working_days``: Scottish bank holidays in the horizon.
* ``policy``: the year's cap on deployments per assessor, as an admin set it (PlanningPolicy); the
  objective's order is the spec's default.
* ``preferences``: each assessor's "I'd like to join" (keen) and "I'd rather not" for the scope's
  inspections (never for context inspections); only assessors who gave one have the field.

Published, unpinned deployments in scope become the solver's KeepPublished level, so a new build
over a published plan changes only what it must.

The steps, each its own module: ``scope`` (what to plan), ``rows`` (bulk reads), ``agreements`` (which
agreement applies), ``context`` (deployments outside the scope), ``pins`` (pinned, kept, flagged) and
``build`` (the instance; ``build_variant`` a what-if build's, from ``variant``); ``opportunities``
(which inspections an assessor could join, by the
solver's rules, for /my/opportunities); ``flags`` (what must change) and ``changes`` (a plan against the stored
deployments) serve the team builder's pages, and ``edits`` (what an inspection's edit would break)
its form.
"""
from scheduler.planning.build import Planning, as_recorded, build, build_ids, build_variant, publish_problems
from scheduler.planning.changes import (
    Change,
    compare,
    current_deployments,
    plan_deployments,
    references_to_ids,
)
from scheduler.planning.edits import Edit, broken_by_edit
from scheduler.planning.flags import flagged_deployments
from scheduler.planning.scope import (
    DECLINED,
    LIVE,
    NATIONAL_AREA,
    PLANNABLE,
    RunScope,
    Scope,
    baseline_of,
    non_working_days,
    scope_inspection_ids,
    scope_query,
)
from scheduler.planning.variant import Away, DayChange, SeatChange, Variant, aims_of

__all__ = ["DECLINED", "LIVE", "NATIONAL_AREA", "PLANNABLE", "Away", "Change", "DayChange", "Edit", "Planning",
           "RunScope", "Scope", "SeatChange", "Variant", "aims_of", "as_recorded", "baseline_of", "broken_by_edit",
           "build", "build_ids", "build_variant", "compare", "current_deployments", "flagged_deployments",
           "non_working_days", "plan_deployments", "publish_problems", "references_to_ids", "scope_inspection_ids",
           "scope_query"]
