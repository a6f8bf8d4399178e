"""A solve run's scope is read and written as one typed object (planning.RunScope), never as a dict
picked at with .get: what a coordinator asked for, then what the build found."""
from __future__ import annotations

from datetime import date

from scheduler.planning import RunScope, Scope

ASKED = {"start": "2027-03-01", "end": "2027-03-31", "references": [], "replan": False, "time_limit": 30}
BUILT = {**ASKED, "in_scope": ["I0001", "I0002"], "context": ["I0009"], "baseline": "9f2c",
         "flags": {"17": ["Morag Lyle (A00001) is unavailable on Monday 1 March 2027"]},
         "keep": [{"assessor": "A00001", "inspection": "I0001", "specialism": "children",
                   "days": ["2027-03-01"]}],
         "fallbacks": [], "build_seconds": 0.42}


def test_a_queued_run_s_scope_is_what_the_coordinator_asked_for():
    scope = RunScope.of(ASKED)
    assert scope.asked == Scope(date(2027, 3, 1), date(2027, 3, 31))
    assert (scope.replan, scope.time_limit, scope.in_scope, scope.baseline) == (False, 30, (), None)
    assert scope.to_json() == ASKED


def test_a_built_run_s_scope_keeps_what_the_build_found():
    scope = RunScope.of(BUILT)
    assert scope.in_scope == ("I0001", "I0002") and scope.context == ("I0009",)
    assert scope.flags["17"][0].startswith("Morag Lyle") and len(scope.keep) == 1
    assert scope.to_json() == BUILT


def test_a_run_stored_before_a_field_existed_reads_with_its_default():
    scope = RunScope.of({"references": ["I0003"]})
    assert scope.asked == Scope(references=("I0003",)) and scope.replan is False and scope.time_limit is None
    assert RunScope.of(None).asked == Scope()
