"""Safe YAML reading that remembers the line of every key and list item."""

from __future__ import annotations

from typing import TYPE_CHECKING

import yaml

from elenefolio.problems import one_line, shown

# Aliases (``*name``) are rare in a portfolio; these limits stop an "alias bomb" (a few
# lines whose nested aliases expand to billions of values) and nesting so deep that reading
# it would exhaust the stack, long before either costs time or memory.
MAX_ALIASES = 100  # uses of an alias in one document
MAX_EXPANSION = 10_000  # values added by expanding aliases
MAX_DEPTH = 100  # lists and mappings inside each other

if TYPE_CHECKING:  # both loaders have the same methods
    _Base = yaml.SafeLoader
else:
    try:  # the C parser is much faster; the constructor stays the safe one
        _Base = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - depends on how PyYAML was built
        _Base = yaml.SafeLoader


class LineDict(dict):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 1
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that knows its own line and the line of each item (1-based)."""

    line: int = 1
    item_lines: list

    def line_of(self, index: int) -> int:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


class _LineLoader(_Base):
    """Safe loader building LineDict/LineList with line numbers."""

    def get_single_node(self):
        node = super().get_single_node()
        if node is not None:
            _check_size(node)
        return node


def _children(node: yaml.Node) -> list[tuple[yaml.Node, int]]:
    """The nodes inside a list or mapping, each with the line that refers to it."""
    if isinstance(node, yaml.SequenceNode):
        return [(child, node.start_mark.line + 1) for child in node.value]
    if isinstance(node, yaml.MappingNode):
        return [(child, key.start_mark.line + 1) for key, value in node.value for child in (key, value)]
    return []


def _check_size(root: yaml.Node) -> None:
    """Refuse a document with too many aliases, too large once its aliases are expanded, an
    alias inside itself or too deep nesting (a walk without recursion, each node once)."""
    expanded: dict[int, int] = {}  # id(node) -> values below it, aliases expanded (when done)
    depth: dict[int, int] = {}
    open_nodes: set[int] = set()
    aliases = 0
    stack: list[tuple[yaml.Node, int, bool]] = [(root, root.start_mark.line + 1, False)]
    while stack:
        node, line, done = stack.pop()
        children = _children(node)
        if done:
            expanded[id(node)] = 1 + sum(expanded[id(child)] for child, _ in children)
            depth[id(node)] = 1 + max((depth[id(child)] for child, _ in children), default=0)
            if expanded[id(node)] - len(expanded) > MAX_EXPANSION:
                raise YamlError(node.start_mark.line + 1, "too many aliases")
            if depth[id(node)] > MAX_DEPTH:
                raise YamlError(
                    node.start_mark.line + 1,
                    f"too deeply nested (more than {MAX_DEPTH} levels of lists and mappings)",
                )
            continue
        if id(node) in expanded:  # reached again: an alias
            aliases += 1
            if aliases > MAX_ALIASES:
                raise YamlError(line, "too many aliases")
            continue
        if id(node) in open_nodes:
            raise YamlError(line, "an alias refers to the list or mapping it is in")
        open_nodes.add(id(node))
        stack.append((node, line, True))
        stack.extend((child, child_line, False) for child, child_line in reversed(children))


def _construct_map(loader: _LineLoader, node: yaml.MappingNode):
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    yield result
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{shown(key)}'", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode):
    result = LineList()
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    yield result
    result.extend(loader.construct_object(child, deep=True) for child in node.value)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode):
    """A date YAML recognises but the calendar does not (2026-02-30) stays text,
    so that the field's own check reports it at its line instead of crashing."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class YamlError(Exception):
    """A YAML syntax error with the (1-based) line where it was found."""

    def __init__(self, line: int, message: str):
        self.line = line
        self.message = one_line(message)  # the parser's text may span lines or quote any character
        super().__init__(f"{line}: {self.message}")


def parse_yaml(text: str, first_line: int = 1):
    """Parse YAML text safely; lines in the result are offset by ``first_line - 1``."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - safe loader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + first_line - 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(line, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlError(first_line, f"invalid YAML: {exc}") from None
    except YamlError as exc:
        raise YamlError(exc.line + first_line - 1, exc.message) from None
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops nesting first
        raise YamlError(first_line, "too deeply nested") from None
    if first_line != 1:
        _shift(data, first_line - 1)
    return data


def _shift(data, offset: int, seen: set[int] | None = None) -> None:
    """Move every line by ``offset``; a list or mapping reached again through an alias
    is moved once."""
    seen = set() if seen is None else seen
    if isinstance(data, (LineDict, LineList)):
        if id(data) in seen:
            return
        seen.add(id(data))
    if isinstance(data, LineDict):
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        for value in data.values():
            _shift(value, offset, seen)
    elif isinstance(data, LineList):
        data.line += offset
        data.item_lines = [v + offset for v in data.item_lines]
        for value in data:
            _shift(value, offset, seen)
