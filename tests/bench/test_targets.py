"""The benchmark report judges issue 3's targets from the run's own rows, and can say "no"."""

from __future__ import annotations

from bench.run import targets


def _row(tier, seed, engine, seats, seconds=0.5, wall=1.0, proven=True, bound=None, valid=True,
         peak_mb=100.0):
    return {"tier": tier, "seed": seed, "engine": engine, "solve_seconds": seconds,
            "wall_seconds": wall, "proven": proven, "valid": valid, "peak_mb": peak_mb,
            "objective": {"seats_filled": seats}, "bound": {"seats_filled": bound}}


def _met(rows, prefix):
    [t] = [t for t in targets(rows) if t.name.startswith(prefix)]
    return t.met


def test_national_target_needs_every_seed_proven_and_a_median_within_a_second():
    rows = [_row("national", s, "solver", 90, seconds=x) for s, x in ((1, 0.2), (2, 0.9), (3, 5.0))]
    assert _met(rows, "national: all four") is True
    rows[0]["proven"] = False
    assert _met(rows, "national: all four") is False
    rows = [_row("national", s, "solver", 90, seconds=1.5) for s in (1, 2, 3)]
    assert _met(rows, "national: all four") is False


def test_national_speed_is_compared_with_highs_seed_by_seed():
    fast = [_row("national", 1, "solver", 90, seconds=0.5), _row("national", 1, "highs", 90,
                                                                   seconds=80.0)]
    assert _met(fast, "national: >= 10x") is True
    fast[1]["solve_seconds"] = 4.0
    assert _met(fast, "national: >= 10x") is False


def test_large_target_needs_every_level_proven_within_thirty_seconds():
    rows = [_row("large", 1, "solver", 1000, seconds=29.0, wall=31.0)]
    assert _met(rows, "large") is True
    rows[0]["solve_seconds"] = 30.5
    assert _met(rows, "large") is False
    rows[0]["solve_seconds"], rows[0]["proven"] = 29.0, False
    assert _met(rows, "large") is False


def test_ofsted_target_needs_a_level_one_bound_within_half_a_percent():
    row = _row("ofsted", 1, "solver", 2000, seconds=55.0, proven=False, bound=2010, peak_mb=1500)
    assert _met([row], "ofsted") is True
    row["bound"] = {"seats_filled": 2011}         # 0.547 % above the plan
    assert _met([row], "ofsted") is False
    row["bound"] = {"seats_filled": None}
    assert _met([row], "ofsted") is False
    row["bound"], row["peak_mb"] = {"seats_filled": 2000}, 2100
    assert _met([row], "ofsted") is False


def test_solver_is_never_allowed_fewer_seats_than_greedy():
    rows = [_row("national", 1, "solver", 90), _row("national", 1, "greedy", 90),
            _row("large", 1, "solver", 999), _row("large", 1, "greedy", 1000)]
    assert _met(rows, "never fewer") is False
    rows[2]["objective"]["seats_filled"] = 1000
    assert _met(rows, "never fewer") is True


def test_ofsted_target_needs_the_solve_within_sixty_seconds():
    row = _row("ofsted", 1, "solver", 2000, seconds=61.0, proven=False, bound=2000)
    assert _met([row], "ofsted") is False
