"""A city file from text to a checked CityFile, or CityFileInvalid listing every problem of the file at
once: its syntax, each field's value (the schema), the references between sections and the boundaries.
Nothing here touches the database; `city.services.city_import` writes what this accepts."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from gorod.city.cityfile import boundaries, brand, messages, references
from gorod.city.cityfile.problems import CityFileInvalid, Problems
from gorod.city.cityfile.reading import Source, read
from gorod.city.schema import MONTH_DAY, Bad, CityFile

# pydantic's error types → the message of cityfile.messages that says the same to an administrator.
_MESSAGE_OF = {
    "missing": "missing",
    "extra_forbidden": "unknown_field",
    "string_type": "text",
    "string_too_short": "empty",
    "string_too_long": "too_long",
    "int_type": "whole_number",
    "int_parsing": "whole_number",
    "int_from_float": "whole_number",
    "float_type": "number",
    "float_parsing": "number",
    "finite_number": "number",
    "greater_than_equal": "at_least",
    "less_than_equal": "at_most",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
    "list_type": "list",
    "tuple_type": "list",
    "dict_type": "mapping",
    "model_type": "mapping",
    "model_attributes_type": "mapping",
    "too_short": "list_too_short",
    "literal_error": "one_of",
}


def parse_city_file(text: str, *, filename: str = "", folder: Path | None = None) -> CityFile:
    """The checked file; its `warnings` are for the administrator, nothing to refuse it for. `folder`
    is where the file lies: files it names (the brand's logo) are read from there."""
    source = read(text, filename=filename)
    if not isinstance(source.data, dict):
        raise CityFileInvalid(["line 1, column 1: (file): " + messages.text("top_level")])
    problems = Problems(source.data, source.marks)
    for at, path, key in source.duplicates:
        problems.add((*path, key), "duplicate_key", key=key, at=at)
    city = _validated(source, problems)
    references.check(source.data, problems)
    boundaries.check(source.data, problems)
    logo = brand.clean_logo_of(source.data, folder, problems) if city is not None else None
    problems.raise_if_any()
    assert city is not None  # the schema found nothing, so it built the file
    city.attach(problems, logo=logo)
    return city


def _validated(source: Source, problems: Problems) -> CityFile | None:
    try:
        return CityFile.model_validate(source.data)
    except ValidationError as exc:
        for error in exc.errors():
            path = tuple(error["loc"])
            key, params = _message(error, path in source.flow_nulls)
            shown = error["type"] != "missing" and key != "unknown_field_comma"
            if shown and not isinstance(error["input"], (dict, list)):
                params["value"] = error["input"]
            problems.add(path, key, **params)
        return None


def _message(error: ErrorDetails, comma: bool) -> tuple[str, dict]:
    kind, context = error["type"], error.get("ctx") or {}
    bad = context.get("error")
    if kind == "value_error" and isinstance(bad, Bad):
        return bad.key, dict(bad.params)
    if kind == "extra_forbidden" and comma:
        return "unknown_field_comma", {}
    if kind == "string_pattern_mismatch":
        return ("month_day" if context.get("pattern") == MONTH_DAY else "slug"), {}
    if kind in ("too_short", "too_long") and context.get("field_type") == "Tuple":
        return "list_length", {"length": context.get("min_length", context.get("max_length"))}
    params = {
        "limit": context.get("ge", context.get("le")),
        "max_length": context.get("max_length"),
        "min_length": context.get("min_length"),
        "expected": context.get("expected"),
    }
    if kind in _MESSAGE_OF:
        return _MESSAGE_OF[kind], params
    return "invalid", {"detail": error["msg"]}
