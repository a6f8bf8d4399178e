"""requirements.lock pins, with hashes, a version of every dependency pyproject.toml asks for, so a
fresh machine installs exactly what was tested (`make lock` re-pins after a range changes)."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ \\;]+)")


def _locked() -> dict[str, tuple[str, str]]:
    """name -> (version, the entry's text up to the next entry)."""
    text = (ROOT / "requirements.lock").read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text)
    out = {}
    for entry in entries:
        m = PIN.match(entry)
        if m:
            out[canonicalize_name(m.group(1))] = (m.group(2), entry)
    return out


def _wanted() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs += extra
    return [Requirement(r) for r in reqs]


def test_every_dependency_is_pinned_within_its_range():
    locked = _locked()
    wrong = []
    for req in _wanted():
        name = canonicalize_name(req.name)
        if name not in locked:
            wrong.append(f"{req.name}: not in requirements.lock")
        elif not req.specifier.contains(locked[name][0], prereleases=True):
            wrong.append(f"{req.name}: locked {locked[name][0]} is outside {req.specifier}")
    assert not wrong, "run `make lock`:\n" + "\n".join(wrong)


def test_every_pin_carries_a_hash():
    unhashed = [name for name, (_, entry) in _locked().items() if "--hash=sha256:" not in entry]
    assert _locked() and not unhashed
