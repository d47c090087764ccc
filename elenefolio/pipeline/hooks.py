"""Hooks and plugins: Python code that takes part in a build (see docs/extending.md).

A portfolio lists its hook files in ``portfolio.yaml`` (``hooks: [hooks/my_hook.py]``);
installed packages register a module through the entry-point group
``elenefolio.plugins``. A hook file or plugin module defines functions named after
the events, each called with keyword arguments:

- ``on_config(config)``: the configuration was read;
- ``on_site(site)``: the site stage made its pages (may add pages, files, collections);
- ``on_env(env)``: the Jinja2 environment (filters, globals) before any page renders;
- ``on_page_context(context, page)``: a page's template context; return a new one or None;
- ``on_post_build(site, output)``: the output folder ``output`` is complete and in place.

Hooks run only when ``portfolio.yaml`` lists them (nothing is discovered in the folder),
a build says which ones run, and a hook file is a dependency of every page (the recorder
notes it as it is read). A hook that raises is reported at its own file and line.
Built-in features use the same events: the badges are an ``on_site`` hook.
"""

from __future__ import annotations

import sys
import traceback
import types
from pathlib import Path
from typing import Any, Callable

from elenefolio.incremental.reads import read_bytes
from elenefolio.problems import BuildFailed, Problems

EVENTS = ("on_config", "on_site", "on_env", "on_page_context", "on_post_build")


def _badges(site) -> None:
    from elenefolio.site.badges import attach_badges

    attach_badges(site)


# built-in features that use the events: (where problems are reported, event, function)
BUILTIN = (("elenefolio/site/badges.py", "on_site", _badges),)


class Hooks:
    """The handlers of each event: built-in ones, then plugins, then the portfolio's hooks."""

    def __init__(self, problems: Problems | None = None):
        self.problems = problems if problems is not None else Problems()
        self.handlers: dict[str, list[tuple[str, Callable]]] = {event: [] for event in EVENTS}
        for origin, event, function in BUILTIN:
            self.handlers[event].append((origin, function))
        self.names: list[str] = []  # what runs, as the build reports it

    @classmethod
    def load(cls, config, problems: Problems, plugins: tuple = ()) -> "Hooks":
        """The hooks of ``config`` (``hooks:`` in portfolio.yaml) and the installed ``plugins``
        (entry points: name, value); a file that cannot be run is reported at its line."""
        hooks = cls(problems)
        for name, value in plugins:
            hooks._plugin(name, value)
        root = config.root
        for rel, line in config.hooks:
            hooks._file(root, rel, line)
        return hooks

    def _plugin(self, name: str, value: str) -> None:
        from importlib.metadata import EntryPoint

        from elenefolio.incremental.reads import record

        try:
            loaded = EntryPoint(name, value, "elenefolio.plugins").load()
        except Exception as exc:  # a broken plugin is the user's problem to report, not a crash
            self.problems.error(
                Path("portfolio.yaml"),
                1,
                f"plugin '{name}' ({value}) cannot be loaded: {type(exc).__name__}: {exc}",
            )
            return
        module = sys.modules.get(getattr(loaded, "__module__", "") or "", loaded)
        if getattr(module, "__file__", None):
            record(module.__file__)  # an edited plugin (a development install) is seen too
        self._add(f"plugin {name}", getattr(module, "__file__", name), loaded)

    def _file(self, root: Path, rel: str, line: int) -> None:
        from elenefolio.util.confine import inside

        config_file = root / "portfolio.yaml"
        path = inside(root, root / rel)
        if path is None or path.suffix != ".py":
            self.problems.error(
                config_file,
                line,
                f"'hooks' lists Python files of the portfolio (such as hooks/my_hook.py), not '{rel}'",
            )
            return
        try:
            source = read_bytes(path, root)
        except OSError as exc:
            self.problems.error(config_file, line, f"hook file '{rel}' cannot be read: {exc.strerror or exc}")
            return
        module = types.ModuleType(f"elenefolio_hook_{path.stem}")
        module.__file__ = str(path)
        try:
            exec(compile(source, str(path), "exec"), module.__dict__)  # noqa: S102 - listed by the user
        except SyntaxError as exc:
            self.problems.error(path, exc.lineno or 1, f"hook: {exc.msg}")
            return
        except Exception as exc:
            self.problems.error(path, _line_in(exc, str(path)), f"hook: {type(exc).__name__}: {exc}")
            return
        self._add(rel, str(path), module)

    def _add(self, name: str, origin: str, module: Any) -> None:
        found = False
        for event in EVENTS:
            function = getattr(module, event, None)
            if callable(function):
                self.handlers[event].append((origin, function))
                found = True
        if found:
            self.names.append(name)

    def __bool__(self) -> bool:
        """Whether any hook besides the built-in ones runs."""
        return bool(self.names)

    def has(self, event: str) -> bool:
        return bool(self.handlers[event])

    def extends(self, event: str) -> bool:
        """Whether a handler besides the built-in ones has ``event``."""
        builtin = {origin for origin, _event, _function in BUILTIN}
        return any(origin not in builtin for origin, _function in self.handlers[event])

    def call(self, event: str, **arguments: Any) -> list[Any]:
        """Call every handler of ``event``; a handler that raises is reported at its file and
        line, and the build stops (BuildFailed)."""
        return [self._one(event, origin, function, **arguments) for origin, function in self.handlers[event]]

    def site_extension(self) -> Callable[[Any], None]:
        """``on_site`` for the site stage."""

        def extend(site: Any) -> None:
            self.call("on_site", site=site)

        return extend

    def page_context(self) -> Callable[[dict, Any], dict] | None:
        """``on_page_context`` for the render stage, or None when no hook has one (nothing
        is paid for it then)."""
        if not self.has("on_page_context"):
            return None

        def apply(context: dict, page) -> dict:
            for origin, function in self.handlers["on_page_context"]:
                changed = self._one("on_page_context", origin, function, context=context, page=page)
                if changed is not None:
                    context = changed
            return context

        return apply

    def _one(self, event: str, origin: str, function: Callable, **arguments: Any) -> Any:
        try:
            return function(**arguments)
        except BuildFailed:
            raise
        except Exception as exc:
            problems = self.problems or Problems(Path.cwd())
            problems.error(
                Path(origin), _line_in(exc, origin), f"{event} failed: {type(exc).__name__}: {exc}"
            )
            problems.raise_if_errors()
            return None


def _line_in(exc: BaseException, filename: str) -> int:
    """The last line of ``filename`` in the traceback of ``exc`` (1 when it is not there)."""
    line = 1
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            line = frame.lineno or 1
    return line
