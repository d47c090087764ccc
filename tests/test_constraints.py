"""constraints-min.txt pins every dependency at exactly the lower bound pyproject.toml gives it.

``make test`` runs the tests a second time with these pins (``make test-min``): that run proves
the lower bounds only while the two files agree, so a dependency added, removed or re-bounded in
one of them and not the other fails here.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parent.parent

# Pins for packages that an extra of a dependency brings in at the dependency's own version,
# pinned beside it (none today: ``pagefind[extended]`` brings ``pagefind_bin_extended``, which
# is a requirement of its own).
EXTRA_PINS: dict[str, str] = {}


def requirements() -> list[Requirement]:
    """The runtime dependencies and the test tools (what ``pip install -e .[test]`` installs)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = project["dependencies"] + project["optional-dependencies"]["test"]
    return [Requirement(text) for text in listed]


def lower_bound(requirement: Requirement) -> Version:
    bounds = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
    assert len(bounds) == 1, f"{requirement}: give exactly one lower bound (>=)"
    return bounds[0]


def pins() -> dict[str, Version]:
    found: dict[str, Version] = {}
    for number, line in enumerate((REPO / "constraints-min.txt").read_text(encoding="utf-8").splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        name, sep, version = text.partition("==")
        assert sep, f"constraints-min.txt:{number}: not a name==version pin: {line!r}"
        key = canonicalize_name(name.strip())
        assert key not in found, f"constraints-min.txt:{number}: {name.strip()} is pinned twice"
        found[key] = Version(version.strip())
    return found


def test_every_requirement_has_a_lower_and_an_upper_bound():
    for requirement in requirements():
        lower_bound(requirement)
        assert any(s.operator == "<" for s in requirement.specifier), f"{requirement}: no upper bound (<)"


def test_constraints_pin_exactly_the_lower_bounds():
    expected: dict[str, Version] = {}
    for requirement in requirements():
        key = canonicalize_name(requirement.name)
        bound = lower_bound(requirement)
        # a package listed twice (runtime and test) must have one lower bound
        assert expected.setdefault(key, bound) == bound, f"{requirement.name}: two different lower bounds"
    pinned = pins()
    for extra, owner in EXTRA_PINS.items():
        assert extra in pinned, f"constraints-min.txt: pin {extra} at {owner}'s lower bound"
        assert pinned.pop(extra) == expected[owner], f"constraints-min.txt: {extra} differs from {owner}"
    wrong = {
        name: f"pyproject.toml >={expected[name]}, constraints-min.txt =={pinned.get(name)}"
        for name in expected
        if pinned.get(name) != expected[name]
    }
    assert wrong == {}, "constraints-min.txt does not pin these lower bounds"
    stale = sorted(set(pinned) - set(expected))
    assert stale == [], "constraints-min.txt pins packages that pyproject.toml does not require"


def test_the_check_reads_both_files():
    # the comparison above is not vacuous: both files list the same, non-empty set of packages
    names = {canonicalize_name(r.name) for r in requirements()}
    assert {"jinja2", "weasyprint", "pytest", "pypdf"} <= names
    assert names == set(pins()) - set(EXTRA_PINS)
