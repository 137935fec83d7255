"""The checks between sections: what a slug or code refers to exists, and what must be unique is.

They read the raw data, not the validated models, so that they run even when some items are malformed
and the file's every problem is reported at once. A value of the wrong type is left to the schema."""

from __future__ import annotations

from collections.abc import Iterator

from gorod.city.cityfile.problems import Path, Problems
from gorod.city.schema import Bad, parse_day


def items(data: object, *path: object) -> Iterator[tuple[int, dict]]:
    """(index, item) for every mapping in the list at `path`."""
    node = data
    for step in path:
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return
    if isinstance(node, list):
        yield from ((i, item) for i, item in enumerate(node) if isinstance(item, dict))


def check(data: dict, problems: Problems) -> None:
    districts = unique(problems, ("districts",), "slug")
    departments = unique(problems, ("departments",), "slug")
    object_types = unique(problems, ("object_types",), "slug")
    codes = unique(problems, ("categories",), "service_code")
    for i, category in items(data, "categories"):
        at = ("categories", i)
        refer(problems, (*at, "object_type"), category.get("object_type"), object_types, "no_object_type")
        refer(problems, (*at, "department"), category.get("department"), departments, "no_department")
        unique(problems, (*at, "attributes"), "code")
        for j, _ in items(data, *at, "attributes"):
            unique(problems, (*at, "attributes", j, "values"), "key")
    pairs: dict[tuple[str, str], int] = {}
    for i, rule in items(data, "routing"):
        refer(problems, ("routing", i, "category"), rule.get("category"), codes, "no_category")
        refer(problems, ("routing", i, "district"), rule.get("district"), districts, "no_district")
        refer(problems, ("routing", i, "department"), rule.get("department"), departments, "no_department")
        code, district = rule.get("category"), rule.get("district")
        if isinstance(code, str) and isinstance(district, str):
            if (code, district) in pairs:
                first = problems.locate(("routing", pairs[code, district]))
                problems.add(("routing", i), "routing_twice", first=first)
            pairs.setdefault((code, district), i)
    unique(problems, ("rejection_reasons",), "code")
    for i, template in items(data, "response_templates"):
        refer(problems, ("response_templates", i, "category"), template.get("category"), codes, "no_category")
    _calendar(data, problems)


def unique(problems: Problems, path: Path, key: str) -> set[str]:
    """The values of `key` in the list at `path`; a value given twice is a problem at its second place."""
    first: dict[str, int] = {}
    for i, item in items(problems.data, *path):
        value = item.get(key)
        if not isinstance(value, str):
            continue
        if value in first:
            where = problems.locate((*path, first[value]))
            problems.add((*path, i, key), "appears_twice", value=value, first=where)
        first.setdefault(value, i)
    return set(first)


def refer(problems: Problems, path: Path, value: object, known: set[str], key: str) -> None:
    if isinstance(value, str) and value not in known:
        problems.add(path, key, value=value)


def _calendar(data: dict, problems: Problems) -> None:
    calendar = data.get("calendar")
    if not isinstance(calendar, dict):
        return
    holidays = set(_days(calendar.get("holidays")).values())
    for j, day in _days(calendar.get("workdays")).items():
        if day in holidays:
            problems.add(("calendar", "workdays", j), "holiday_and_workday", value=day.isoformat())


def _days(values: object) -> dict:
    """index → date for the well-written dates of a list (the schema reports the others)."""
    found = {}
    for i, value in enumerate(values if isinstance(values, list) else []):
        try:
            found[i] = parse_day(value)
        except Bad:
            continue
    return found
