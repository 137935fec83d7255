"""From the text of a city file to plain data, keeping where each value was written (the YAML nodes'
marks) so that every problem found later can name its line and column.

Dates stay text here: PyYAML would build an unquoted `2027-02-29` into a date, fail, and lose both the
place and every other problem of the file; the schema reads dates instead, one problem per bad date."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import yaml

from gorod.city.cityfile import messages
from gorod.city.cityfile.problems import CityFileInvalid, Marks, Path

MAX_DEPTH = 40
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(yaml.SafeLoader):
    """SafeLoader without its timestamp rule: a date is read as the text it was written as."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rule) for tag, rule in rules if tag != _TIMESTAMP]
    for first, rules in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Source:
    data: object = None
    marks: Marks = field(default_factory=dict)
    # Keys with no value inside {…}: what an unquoted comma in one-line text leaves behind.
    flow_nulls: set[Path] = field(default_factory=set)
    # (where the second one is written, the path of the mapping, the key)
    duplicates: list[tuple[tuple[int, int], Path, object]] = field(default_factory=list)


def read(text: str, *, filename: str = "") -> Source:
    """The file's data and marks. Raises CityFileInvalid when the text is not YAML (or JSON) at all."""
    if not filename.endswith(".json"):
        return _yaml(text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CityFileInvalid(
            [_at(exc.lineno, exc.colno) + messages.text("json_syntax", problem=exc.msg)]
        ) from None
    # JSON is YAML too, nearly always: its marks are worth having, its values are json's.
    try:
        source = _yaml(text)
    except CityFileInvalid:
        source = Source()
    return Source(data=data, marks=source.marks, duplicates=source.duplicates)


def _yaml(text: str) -> Source:
    source = Source()
    loader = None
    try:
        loader = _Loader(text)  # reads the whole text at once, refusing control characters
        node = loader.get_single_node()
        if node is not None:
            source.data = _build(loader, node, (), source, 0)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or ""
        if exc.context and exc.context_mark is not None:
            begun = exc.context_mark
            problem += f" ({exc.context} begun at line {begun.line + 1}, column {begun.column + 1})"
        at = _at(mark.line + 1, mark.column + 1) if mark is not None else ""
        raise CityFileInvalid([at + messages.text("yaml_syntax", problem=problem)]) from None
    except yaml.reader.ReaderError as exc:
        line, column = _line_and_column(text, exc.position)
        raise CityFileInvalid(
            [_at(line, column) + messages.text("yaml_syntax", problem=exc.reason)]
        ) from None
    except yaml.YAMLError as exc:
        raise CityFileInvalid([messages.text("yaml_syntax", problem=str(exc).splitlines()[0])]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return source


def _build(loader: _Loader, node: yaml.Node, path: Path, source: Source, depth: int) -> object:
    """The value of a node, as SafeLoader would build it, noting the mark of every value on the way."""
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if depth > MAX_DEPTH:
        raise CityFileInvalid([_at(line, column) + messages.text("nesting", depth=MAX_DEPTH)])
    source.marks[path] = (line, column)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # YAML merge keys (<<: *defaults)
        result: dict = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                mark = key_node.start_mark
                problem = "a key must be a single word or text, not a list or mapping"
                raise CityFileInvalid(
                    [_at(mark.line + 1, mark.column + 1) + messages.text("yaml_syntax", problem=problem)]
                )
            if key in result:
                mark = key_node.start_mark
                source.duplicates.append(((mark.line + 1, mark.column + 1), path, key))
            value = _build(loader, value_node, (*path, key), source, depth + 1)
            if node.flow_style and isinstance(value_node, yaml.ScalarNode) and value_node.value == "":
                source.flow_nulls.add((*path, key))
            result[key] = value
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*path, i), source, depth + 1) for i, item in enumerate(node.value)]
    return loader.construct_object(node)


def _at(line: int, column: int) -> str:
    return f"line {line}, column {column}: "


def _line_and_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1
