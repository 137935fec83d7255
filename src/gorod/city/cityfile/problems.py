"""What is wrong with a city file, and how a problem is written for the administrator: where it is (line
and column, and the path to the field with each item's slug or code), the value found, and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass, field

from gorod.city.cityfile import messages

Path = tuple[object, ...]  # keys and list indexes from the file
Marks = dict[Path, tuple[int, int]]  # a value's path → (line, column), both from 1
_NO_VALUE = object()
# The fields whose value names an item in a list, in the order they are preferred.
_LABELS = ("service_code", "slug", "code", "key", "name", "title")


class CityFileInvalid(ValueError):
    """The file was refused; the message has one line per problem, each saying where it is."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass
class Problem:
    path: Path
    key: str  # in messages.MESSAGES
    params: dict = field(default_factory=dict)
    value: object = _NO_VALUE
    at: tuple[int, int] | None = None  # when the path does not say where (a repeated key)


@dataclass
class Problems:
    """Collects every problem of one file; nothing is refused until all of it has been looked at."""

    data: object
    marks: Marks
    found: list[Problem] = field(default_factory=list)
    warned: list[Problem] = field(default_factory=list)

    def add(
        self,
        path: Path,
        name: str,
        /,
        *,
        value: object = _NO_VALUE,
        at: tuple[int, int] | None = None,
        **params,
    ) -> None:
        """A problem at `path`, said by the message `name` with `params` (and the value found, if given)."""
        if value is not _NO_VALUE:
            params.setdefault("value", value)
        self.found.append(Problem(path, name, params, value, at))

    def warn(self, path: Path, name: str, /, **params: object) -> None:
        self.warned.append(Problem(path, name, params))

    def raise_if_any(self) -> None:
        if self.found:
            ordered = sorted(self.found, key=lambda p: p.at or self.position(p.path) or (0, 0))
            raise CityFileInvalid([self.describe(p) for p in ordered])

    def warnings(self) -> list[str]:
        return [self.describe(p) for p in self.warned]

    def position(self, path: Path) -> tuple[int, int] | None:
        """Where the value is, or its nearest enclosing item (a missing field: the item without it)."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.marks:
                return self.marks[path[:end]]
        return None

    def locate(self, path: Path) -> str:
        """`categories[0] (service_code "pothole"), line 30`: for messages that point at a second place."""
        at = self.position(path)
        return where_in(path, self.data) + (f", line {at[0]}" if at else "")

    def describe(self, problem: Problem) -> str:
        at = problem.at or self.position(problem.path)
        where = where_in(problem.path, self.data)
        template = messages.MESSAGES[problem.key].text
        # A message that quotes the value already says it.
        shown = "" if problem.value is _NO_VALUE or "{value" in template else f" = {_short(problem.value)}"
        text = messages.text(problem.key, **problem.params)
        return f"{f'line {at[0]}, column {at[1]}: ' if at else ''}{where}{shown}: {text}"


def where_in(path: Path, data: object) -> str:
    """`categories[3] (service_code "yard-litter").deadline_days`; routing rules are named by their
    category and district, the two things that identify one."""
    parts: list[str] = []
    node: object = data
    for step in path:
        if isinstance(step, int):
            item = node[step] if isinstance(node, list) and 0 <= step < len(node) else None
            parts[-1] += f"[{step}]{label_of(item, routing=parts == ['routing'])}"
            node = item
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts) or "(file)"


def label_of(item: object, *, routing: bool = False) -> str:
    if not isinstance(item, dict):
        return ""
    if routing:
        named = [f'{k} "{item[k]}"' for k in ("category", "district") if isinstance(item.get(k), str)]
        return f" ({', '.join(named)})" if named else ""
    for key in _LABELS:
        if isinstance(item.get(key), str):
            return f' ({key} "{item[key]}")'
    return ""


def _short(value: object, limit: int = 60) -> str:
    if isinstance(value, list):
        return "[…]"
    if isinstance(value, dict):
        return "{…}"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = f'"{value}"' if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
