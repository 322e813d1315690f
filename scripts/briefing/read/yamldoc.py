"""Read YAML (briefing.yml, front-matter) safely, keeping the line of every value.

Aliases and anchors are refused before anything walks the document (an alias
bomb loads instantly but hangs whatever expands it), and timestamps stay
strings, so `2024-06` and `2024-06-19` reach the models as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path_ = tuple[str | int, ...]
"""Where a value sits in the document: ('facts', 'signing-date', 0)."""

_CONSTRUCTED_TAGS = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


class YamlProblem(Exception):
    """A YAML document that cannot be read; line and col are 1-based, in the file."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.col = col
        self.message = message


@dataclass
class LocatedDoc:
    """A YAML mapping as plain Python data, with the (line, col) of every key and item."""

    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    start: tuple[int, int] = (1, 1)

    def position(self, path: Path_) -> tuple[int, int]:
        """The position of the deepest known part of `path` (a missing key points at its parent)."""
        for end in range(len(path), 0, -1):
            found = self.positions.get(tuple(path[:end]))
            if found:
                return found
        return self.start


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml when PyYAML has it: several times faster than the pure-Python parser."""


def _refuse_aliases(text: str) -> None:
    """Walk the parser's events (linear in the text: nothing is expanded) and refuse the
    first anchor or alias, before anything composes the document."""
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, AliasEvent):
            raise _Refused(*_start(event), "YAML aliases (*name) are not allowed")
        if getattr(event, "anchor", None):
            raise _Refused(*_start(event), "YAML anchors (&name) are not allowed")


def _start(event: yaml.Event) -> tuple[int, int]:
    """Where an event starts, from 0 (the parser always marks events read from text)."""
    mark = event.start_mark
    return (mark.line, mark.column) if mark is not None else (0, 0)


class _Refused(Exception):
    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


_parsed = 0


def documents_parsed() -> int:
    """How many times `read_yaml` has been called in this process (documents it refused
    included). Nothing in the package reads it: the benchmark (scripts/bench, "the per-file
    cache") takes it before and after one note changes, to show that analysing again in the
    same process, as `mkdocs serve` does, parses only the files that changed."""
    return _parsed


def read_yaml(text: str, *, first_line: int = 1, max_bytes: int = 256 * 1024) -> LocatedDoc:
    """Parse one YAML document whose first line is line `first_line` of its file.

    Raises YamlProblem with a file position when the text is too large, does not
    parse, uses aliases, or repeats a key.
    """
    global _parsed
    _parsed += 1
    if len(text.encode("utf-8")) > max_bytes:
        raise YamlProblem(first_line, 1, f"YAML is larger than {max_bytes // 1024} KiB")
    offset = first_line - 1
    try:
        _refuse_aliases(text)
        node = yaml.compose(text, Loader=_LOADER)
    except _Refused as exc:
        raise YamlProblem(exc.line + offset + 1, exc.col + 1, exc.message) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(exc, offset) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(first_line, 1, f"YAML does not parse: {exc}") from None
    doc = LocatedDoc(data=None, start=(first_line, 1))
    if node is not None:
        doc.data = _convert(node, (), doc, offset)
    return doc


_UNCLOSED = {
    "while parsing a flow sequence": ("the list opened with `[` here is not closed", "`]`"),
    "while parsing a flow mapping": ("the mapping opened with `{` here is not closed", "`}`"),
    "while scanning a quoted scalar": (
        "the quoted text opened here is not closed",
        "the same quote mark",
    ),
}


def _syntax_problem(exc: yaml.MarkedYAMLError, offset: int) -> YamlProblem:
    """Point at what the analyst has to fix: an unclosed `[`, `{` or quote is reported where
    it opened (the parser only notices later), with the line where parsing stopped."""
    problem, context = exc.problem_mark, exc.context_mark
    reason = exc.problem or exc.context or "invalid YAML"
    unclosed = _UNCLOSED.get(exc.context or "")
    if unclosed and context is not None and problem is not None:
        what, closer = unclosed
        return YamlProblem(
            context.line + offset + 1,
            context.column + 1,
            f"YAML does not parse: {what} (close it with {closer}); parsing "
            f"stopped at line {problem.line + offset + 1}, column "
            f"{problem.column + 1}: {reason}",
        )
    mark = problem or context
    line, col = (mark.line, mark.column) if mark else (0, 0)
    return YamlProblem(line + offset + 1, col + 1, f"YAML does not parse: {reason}")


def _mark(node: Node, offset: int) -> tuple[int, int]:
    return node.start_mark.line + offset + 1, node.start_mark.column + 1


def _convert(node: Node, path: Path_, doc: LocatedDoc, offset: int) -> Any:
    if isinstance(node, MappingNode):
        return _convert_mapping(node, path, doc, offset)
    if isinstance(node, SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            doc.positions[path + (index,)] = _mark(item, offset)
            items.append(_convert(item, path + (index,), doc, offset))
        return items
    assert isinstance(node, ScalarNode)
    if node.tag in _CONSTRUCTED_TAGS:
        return yaml.SafeLoader.yaml_constructors[node.tag](_CONSTRUCTOR, node)
    return node.value


def _convert_mapping(
    node: MappingNode, path: Path_, doc: LocatedDoc, offset: int
) -> dict[Any, Any]:
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        line, col = _mark(key_node, offset)
        if not isinstance(key_node, ScalarNode):
            raise YamlProblem(line, col, "a key must be a plain name")
        key = key_node.value
        if key in result:
            first = doc.positions[path + (key,)]
            raise YamlProblem(line, col, f"duplicate key `{key}` (first given on line {first[0]})")
        doc.positions[path + (key,)] = (line, col)
        result[key] = _convert(value_node, path + (key,), doc, offset)
    return result


_CONSTRUCTOR = yaml.SafeLoader("")
