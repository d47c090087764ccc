"""The package's layout: the top level holds only the command line, the model and the
problems, and no module imports another that (directly or through others) imports it.

Imports are read from the source with ``ast``, at module level and inside functions alike:
an import deferred into a function still makes its module depend on the other, and a
cycle hidden that way is a cycle, and so is one made through the imports under
``if TYPE_CHECKING:`` (which name types only). A package's ``__init__`` is a module like any
other (``from elenefolio.load import load_portfolio`` depends on ``elenefolio.load``); a
module does not depend on the packages that contain it merely by being inside them.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "elenefolio"

# the top level: the command line, and what every stage shares (the model, the problems)
TOP_LEVEL = {"__init__.py", "__main__.py", "cli.py", "model.py", "problems.py"}


def module_files() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ["elenefolio", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def deepest(dotted: str) -> str | None:
        while dotted and dotted not in modules:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            targets = [
                f"{origin}.{alias.name}" if f"{origin}.{alias.name}" in modules else origin
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            if target.split(".")[0] == "elenefolio":
                module = deepest(target)
                if module is not None and module != name:
                    found.add(module)
    return found


@functools.cache
def import_graph() -> dict[str, set[str]]:
    modules = module_files()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def a_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """One closed path through a component, to show in a failure: a → b → … → a."""
    members = set(component)
    start = component[0]
    path, seen = [start], {start}
    while True:
        following = sorted(graph[path[-1]] & members)
        if start in following and len(path) > 1:
            return [*path, start]
        nxt = next((m for m in following if m not in seen), None)
        if nxt is None:  # a path that returns to an earlier module: cut it there
            back = next(m for m in following if m in seen)
            return [*path[path.index(back) :], back]
        path.append(nxt)
        seen.add(nxt)


def test_no_import_cycles():
    graph = import_graph()
    found = [" → ".join(a_cycle(graph, component)) for component in cycles(graph)]
    assert found == []


STAGES = ["load", "site", "render", "write"]


def test_no_stage_reaches_back_to_a_later_one():
    """load → site → render → write: a stage imports the stages before it, never one after."""
    graph = import_graph()

    def stage(module: str) -> int | None:
        part = module.split(".")[1] if "." in module else ""
        return STAGES.index(part) if part in STAGES else None

    back = [
        f"{module} → {other}"
        for module, others in sorted(graph.items())
        for other in sorted(others)
        if stage(module) is not None and stage(other) is not None and stage(other) > stage(module)
    ]
    assert back == []


def test_only_the_command_line_model_and_problems_at_the_top():
    files = {path.name for path in PACKAGE.iterdir() if path.suffix == ".py"}
    assert files == TOP_LEVEL


def test_the_graph_sees_deferred_imports():
    """The reading finds a cycle that is made through an import inside a function."""
    graph = {"a": {"b"}, "b": {"a"}, "c": {"a"}}
    assert cycles(graph) == [["a", "b"]]
    assert a_cycle(graph, ["a", "b"]) == ["a", "b", "a"]
    modules = module_files()
    # pipeline.build() imports write_failure inside the function
    assert "elenefolio.write" in imports_of("elenefolio.pipeline", modules["elenefolio.pipeline"], modules)
    # cli imports commands at module level; the serve command imports the server when it runs
    assert "elenefolio.commands" in import_graph()["elenefolio.cli"]
    assert "elenefolio.serve" in import_graph()["elenefolio.commands.serve"]
