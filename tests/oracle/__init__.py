"""An oracle for the deployment problem, written from the spec alone (docs/solver/formats.md).

It shares no code with the engines: it reads the instance JSON as plain dicts and never imports
``solver`` or the bench's solver-based helpers (``test_independence`` enforces this for every
module here except ``harness``, which only *runs* the solver to compare it with the oracle).

- ``problem``: the instance read from the spec (hard rules 1-4 per deployment, travel km, and
  the first reason that keeps a holder off a seat given their other deployments);
- ``validity``: is the input valid (each problem named by its JSON path), do the pins contradict;
- ``checker``: hard rules 1-7 over a whole plan, its recomputed objective, and its ``unfilled``
  counts holder by holder;
- ``mip``: the exact lexicographic optimum over the instance's levels in its order (the four of
  the spec, or ``policy.objective``'s, with preferences and partnerships reached), a day-level
  MIP in HiGHS written from scratch;
- ``brute``: the same optimum by enumeration, for the tiniest instances (checks the MIP; its
  table is keyed on seat usage and the home areas reached);
- ``generator``: seeded adversarial instances aimed at the edge of every rule, tagged by class;
- ``harness``: runs ``solver.solve()`` and ``python -m solver solve`` on a case and lists every
  way the solver disagrees with the oracle (and every holder ``solver.rules.why_not`` keeps off
  a seat as ``busy`` or ``agreement_days`` whom the oracle keeps off for another reason, or none).
"""
