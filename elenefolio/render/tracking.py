"""Dependency recording while rendering, for incremental builds.

While a page renders, every attribute and item lookup the templates make
(``entry.title``, ``site.journal``, ``skill.count``...) goes through
``Environment.getattr``/``getitem``. The tracking environment notes each
lookup as a *path* from a context variable (``item.previous.title``) and a
fingerprint of the value it returned, and notes every template it loads.

On the next build, a page whose paths all give the same fingerprints again,
with the same templates and the same context scalars, would render to the
same bytes, so it is not rendered at all. Nothing is guessed: a page
depends on exactly what its templates read. A lookup that cannot be
replayed (on a data object reached outside the recorded paths, or a method
called with non-literal arguments) marks the page *volatile*: it is always
rendered again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import jinja2
from markupsafe import Markup

SCALARS = (str, int, float, bool, type(None), dt.date, dt.time, dt.timedelta, bytes)
_MISSING = ("missing",)


def fingerprint(value: Any) -> Any:
    """A comparable, picklable summary of a value as a template sees it."""
    if isinstance(value, SCALARS):
        return (type(value).__name__, value) if not isinstance(value, Markup) else ("M", str(value))
    if isinstance(value, (list, tuple)):
        return ("L", len(value), tuple(_shallow(v) for v in value))
    if isinstance(value, dict):
        return ("D", tuple(sorted(((repr(k), fingerprint(v)) for k, v in value.items()))))
    if isinstance(value, (set, frozenset)):
        return ("S", tuple(sorted(repr(fingerprint(v)) for v in value)))
    if isinstance(value, jinja2.Undefined):
        return ("U",)
    return _identity(value)


def _shallow(value: Any) -> Any:
    if isinstance(value, SCALARS):
        return fingerprint(value)
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        return fingerprint(value)
    return _identity(value)


def _identity(value: Any) -> Any:
    """An object: its type and, when it has one, its address (unique per build)."""
    url = getattr(value, "url", None) if not callable(value) or hasattr(value, "__dict__") else None
    return ("O", type(value).__qualname__, url if isinstance(url, str) else None)


def _is_data(obj: Any) -> bool:
    """Objects of the site model (whose reads must be tracked)."""
    return type(obj).__module__.startswith("elenefolio.")


def fingerprint_hash(value: Any) -> bytes:
    if type(value) is str:  # the most common value: hashed without building a fingerprint
        return _blake2b(b"s\0" + value.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return _blake2b(repr(fingerprint(value)).encode("utf-8", "surrogatepass"), digest_size=8).digest()


_blake2b = hashlib.blake2b


def canonical_names(site) -> dict[str, Any]:
    """Objects with an address, by a name that is the same in every build.

    A lookup on such an object is recorded from its name (``@item:journal/x/``)
    rather than from the way the page reached it, so that pages share the
    work of checking it. Only objects with a unique ``url`` qualify: that
    address is part of their fingerprint, so a list or link that points
    to another one is seen as changed.
    """
    names: dict[str, Any] = {}
    for kind, objects in (
        ("item", site.items),
        ("skill", site.skills),
        ("tag", site.tags),
        ("page", site.pages),
    ):
        for obj in objects:
            names[f"@{kind}:{obj.url}"] = obj
    return names


@dataclass
class PageRecord:
    """What one page read while it rendered.

    Lookups are grouped by the root they start from (a context variable such as
    ``site``, or the name of an object with an address such as ``@item:journal/x/``),
    each group with the hash of what its lookups returned, so that a group known
    to be unchanged can be taken as it is without being looked up again.
    """

    groups: dict[str, tuple[tuple[tuple, ...], bytes]]  # root -> (paths, hash of their values)
    templates: list[str]  # template names loaded
    key: bytes  # the page key (address, body, plain values) it was rendered with
    states: tuple  # the state (file, hash of the source) of each template loaded
    volatile: bool = False


class Recorder:
    """Collects the lookups of one page."""

    def __init__(
        self,
        roots: dict[str, Any],
        canonical: dict[int, str] | None = None,
        shared: frozenset[str] = frozenset(),
        memo: dict[tuple, bytes] | None = None,
    ):
        self.paths_of: dict[int, tuple] = {}
        self.keep: list[Any] = []  # registered objects stay alive: ids are not reused
        self.hashes: dict[tuple, bytes] = {}  # path -> hash of its value, first read first
        self.templates: list[str] = []
        self.volatile = False
        self.canonical = canonical or {}
        self.shared = shared
        self.memo = memo if memo is not None else {}
        for name, value in roots.items():
            self.note((name,), value)
            self.register(value, (name,))

    def note(self, path: tuple, value: Any) -> None:
        if path in self.hashes:  # read again during the same render: the same value
            return
        root = path[0]
        if root in self.shared or root[0] == "@":
            h = self.memo.get(path)
            if h is None:
                h = self.memo[path] = fingerprint_hash(value)
        else:
            h = fingerprint_hash(value)
        self.hashes[path] = h

    def register(self, value: Any, path: tuple) -> None:
        if isinstance(value, SCALARS):
            return
        name = self.canonical.get(id(value))
        if name is not None:
            path = (name,)
        self.paths_of[id(value)] = path
        self.keep.append(value)
        if isinstance(value, (list, tuple)):
            for i, element in enumerate(value):
                if not isinstance(element, SCALARS):
                    self.register(element, path + (i,))

    def lookup(self, obj: Any, step: Any, value: Any) -> Any:
        path = self.paths_of.get(id(obj))
        if path is None:
            if _is_data(obj):
                self.volatile = True
            return value
        path = path + (step,)
        if type(value) is str:  # the most common value: noted without further checks
            self.note(path, value)
            return value
        if callable(value) and not isinstance(value, (jinja2.Undefined, type)) and not _is_data(value):
            return self._tracked_call(value, path)
        self.note(path, value)
        self.register(value, path)
        return value

    def _tracked_call(self, function: Callable, path: tuple) -> Callable:
        def call(*args, **kwargs):
            result = function(*args, **kwargs)
            if all(isinstance(a, SCALARS) for a in (*args, *kwargs.values())):
                step = ("c", args, tuple(sorted(kwargs.items())))
                self.note(path + (step,), result)
                self.register(result, path + (step,))
            else:
                self.volatile = True
            return result

        return call


class TrackingEnvironment(jinja2.Environment):
    """A Jinja2 environment that reports lookups and template loads to a recorder."""

    recorder: Recorder | None = None

    def getattr(self, obj: Any, attribute: str) -> Any:
        try:  # jinja2.Environment.getattr, whose first step is this one
            value = getattr(obj, attribute)
        except AttributeError:
            value = super().getattr(obj, attribute)
        recorder = self.recorder
        if recorder is not None:
            value = recorder.lookup(obj, attribute, value)
        return value

    def getitem(self, obj: Any, argument: Any) -> Any:
        value = super().getitem(obj, argument)
        recorder = self.recorder
        if recorder is not None:
            try:
                hash(argument)
            except TypeError:  # a key that cannot be stored (a slice, a list...)
                recorder.volatile = True
                return value
            value = recorder.lookup(obj, ("i", argument), value)
        return value

    def _load_template(self, name, globals):  # noqa: A002 - Jinja2's signature
        recorder = self.recorder
        if recorder is not None and isinstance(name, str):
            recorder.templates.append(name)
        return super()._load_template(name, globals)


def resolve(
    env: jinja2.Environment, roots: dict[str, Any], names: dict[str, Any], path: tuple, memo: dict[tuple, Any]
) -> Any:
    """The value at ``path`` in this build (``_MISSING`` when it cannot be reached)."""
    if path in memo:
        return memo[path]
    if len(path) == 1:
        value = undefer(roots, path[0])
        if value is _MISSING:
            value = names.get(path[0], _MISSING)
    else:
        parent = resolve(env, roots, names, path[:-1], memo)
        step = path[-1]
        if parent is _MISSING:
            value = _MISSING
        else:
            try:
                if isinstance(step, str):
                    value = jinja2.Environment.getattr(env, parent, step)
                elif isinstance(step, int):
                    value = parent[step]
                elif step[0] == "i":
                    value = jinja2.Environment.getitem(env, parent, step[1])
                else:
                    value = parent(*step[1], **dict(step[2]))
            except Exception:  # anything that fails now differs from what was recorded
                value = _MISSING
    memo[path] = value
    return value


def group_digest(hashes: Iterable[bytes]) -> bytes:
    return _blake2b(b"".join(hashes), digest_size=16).digest()


class Deferred:
    """A context value computed only when a page is rendered or a lookup needs it."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]):
        self.make = make


def undefer(roots: dict[str, Any], name: str) -> Any:
    value = roots.get(name, _MISSING)
    if isinstance(value, Deferred):
        value = roots[name] = value.make()
    return value


class Replayer:
    """Checks records against this build, sharing the work between pages."""

    def __init__(self, env: jinja2.Environment, names: dict[str, Any], shared: frozenset[str]):
        self.env = env
        self.names = names
        self.shared = shared
        self.values: dict[tuple, Any] = {}  # shared paths -> value
        self.hashes: dict[tuple, bytes] = {}  # shared paths -> fingerprint hash
        # id of a group's paths (interned, shared between records) -> (paths, hash of values)
        self.group_hashes: dict[int, tuple[tuple, bytes]] = {}

    def same(
        self,
        roots: dict[str, Any],
        record: PageRecord,
        key: bytes,
        template_state: Callable[[str], Any],
        clean: Callable[[str], bool] | None = None,
    ) -> bool:
        """Whether the page would read exactly what it read when ``record`` was made.

        Groups whose root ``clean`` declares unchanged are taken as recorded.
        """
        if record.volatile or key != record.key:
            return False
        local: dict[tuple, Any] = {}
        for root, (paths, recorded) in record.groups.items():
            if clean is not None and clean(root):
                continue
            if root in self.shared or root[0] == "@":
                found = self._shared_digest(roots, paths)
            else:
                found = self._digest(roots, paths, local)
            if found != recorded:
                return False
        return tuple(template_state(n) for n in record.templates) == record.states

    def _shared_digest(self, roots: dict[str, Any], paths: tuple) -> bytes | None:
        """The hash of a group of paths whose values are the same for every page (checked
        once per build, however many records share the group)."""
        known = self.group_hashes.get(id(paths))
        if known is None:
            hashes = []
            for path in paths:
                h = self.hashes.get(path)
                if h is None:
                    value = resolve(self.env, roots, self.names, path, self.values)
                    if value is _MISSING:
                        return None
                    h = self.hashes[path] = fingerprint_hash(value)
                hashes.append(h)
            known = self.group_hashes[id(paths)] = (paths, group_digest(hashes))
        return known[1]

    def _digest(self, roots: dict[str, Any], paths: tuple, local: dict[tuple, Any]) -> bytes | None:
        """The hash of a group of paths from this page's own context variables."""
        hashes = []
        for path in paths:
            value = resolve(self.env, roots, self.names, path, local)
            if value is _MISSING:
                return None
            hashes.append(fingerprint_hash(value))
        return group_digest(hashes)


def finish(
    recorder: Recorder,
    key: bytes,
    template_state: Callable[[str], Any],
    interned: dict[tuple, tuple] | None = None,
) -> PageRecord:
    """The record of a rendered page. Groups of paths equal to another page's are the same
    tuple (``interned``): records stay small, and checking them is shared between pages."""
    grouped: dict[str, tuple[list[tuple], list[bytes]]] = {}
    for path, h in recorder.hashes.items():
        paths, hashes = grouped.setdefault(path[0], ([], []))
        paths.append(path)
        hashes.append(h)
    interned = {} if interned is None else interned
    groups = {}
    for root, (paths, hashes) in grouped.items():
        group = tuple(paths)
        groups[root] = (interned.setdefault(group, group), group_digest(hashes))
    states = tuple(template_state(n) for n in recorder.templates)
    return PageRecord(
        groups, list(recorder.templates), key, interned.setdefault(states, states), recorder.volatile
    )


def reads_tracked(function: Callable) -> Callable:
    """Mark a filter or global function that reads the site's objects only through its
    environment's ``getattr`` and ``getitem`` (``@jinja2.pass_environment``), as Jinja2's own
    filters do: its reads are recorded like a template's, so the objects it is given do not
    make the page volatile (``guard_environment`` leaves it as it is)."""
    function._tracked_guard = True  # type: ignore[attr-defined]
    return function


def guard_environment(env: TrackingEnvironment) -> None:
    """Make filters, tests and global functions added by elenefolio or a theme safe to track.

    Jinja2's own filters read attributes through ``Environment.getattr``, so
    their reads are recorded. A function written in Python for the theme
    (``item|reading_time``) may read a model object directly, which the
    recorder would not see: when such a function receives a model object,
    the page is marked volatile (always rendered again).
    """
    if getattr(env, "_guarded", False):
        return
    import functools

    def guard(function: Callable) -> Callable:
        if getattr(function, "_tracked_guard", False) or (
            getattr(function, "__module__", None) or "builtins"
        ).startswith(("jinja2", "markupsafe", "builtins")):
            return function

        @functools.wraps(function)
        def guarded(*args, **kwargs):
            recorder = env.recorder
            if recorder is not None and not recorder.volatile:
                for value in (*args, *kwargs.values()) if kwargs else args:
                    if type(value) is not str and _holds_data(value):
                        recorder.volatile = True
                        break
            return function(*args, **kwargs)

        guarded._tracked_guard = True  # type: ignore[attr-defined]
        return guarded

    for table in (env.filters, env.tests):
        for name, function in list(table.items()):
            table[name] = guard(function)
    for name, value in list(env.globals.items()):
        if callable(value) and not isinstance(value, type) and name not in ("_", "gettext", "ngettext"):
            env.globals[name] = guard(value)
    env._guarded = True  # type: ignore[attr-defined]


def _holds_data(value: Any) -> bool:
    if isinstance(value, SCALARS):
        return False
    if isinstance(value, (list, tuple)):
        return any(_holds_data(v) for v in value[:3])
    if isinstance(value, dict):
        return any(_holds_data(v) for v in list(value.values())[:3])
    return _is_data(value)
