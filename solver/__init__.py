"""Assessor deployment solver: instance/plan formats, hard rules, CP-SAT model, checker.

Imports nothing from the web application (no Flask, no SQL).
"""
from .domain import Deployment, Instance, Plan, Unfilled
from .instance import InvalidInstance, InvalidPlan, load_instance, load_plan, save_plan

__all__ = ["Deployment", "Instance", "InvalidInstance", "InvalidPlan", "Plan", "Unfilled",
           "load_instance", "load_plan", "save_plan", "solve", "check"]


def solve(instance, **kwargs):
    from .model import solve as _solve
    return _solve(instance, **kwargs)


def check(instance, plan):
    from .check import check as _check
    return _check(instance, plan)
