"""Every message an administrator can meet when a city file is refused (or warned about), with its cause.

docs/city-config.md lists them all in its "Error messages" section; a test keeps the two equal. Print the
section's table with `uv run python -m gorod.city.cityfile.messages` after changing a message here."""

from __future__ import annotations

from dataclasses import dataclass

# Two districts may share this much ground (m²) before it is an overlap: slivers where borders were
# drawn twice, a metre apart, are not worth refusing a file for.
OVERLAP_TOLERANCE_M2 = 1000
# Holes between districts beyond this share of the bounding box are worth a warning.
GAP_SHARE = 0.01


@dataclass(frozen=True)
class Message:
    text: str  # a str.format template; {value} and the like are filled in for each problem
    cause: str  # what the administrator did to get it, for the documentation


MESSAGES: dict[str, Message] = {
    # --- reading the file ---------------------------------------------------------------------------
    "unreadable": Message(
        "cannot read the file: {reason}",
        "The path is wrong, the file is not readable, or it is not UTF-8 text.",
    ),
    "yaml_syntax": Message(
        "not valid YAML: {problem}",
        "The text breaks YAML's rules: an unclosed `[` or `{{`, a `:` inside unquoted text, indentation "
        "that does not line up. The line and column are where the parser gave up; the mistake is "
        "there or just before it.",
    ),
    "json_syntax": Message(
        "not valid JSON: {problem}",
        "A file named `.json` is read as JSON; a missing comma or quote, or a trailing comma.",
    ),
    "top_level": Message(
        "the top level must be a mapping of sections (municipality:, districts:, …)",
        "The file is empty, or is a list or a single value instead of the sections of this guide.",
    ),
    "nesting": Message(
        "the file nests deeper than {depth} levels",
        "An alias that contains itself (`&a [*a]`) or a machine-made file gone wrong.",
    ),
    "duplicate_key": Message(
        "the key {key!r} appears twice in this mapping; the second would silently replace the first",
        "The same field written twice in one item, often after copying lines.",
    ),
    # --- a field's value ------------------------------------------------------------------------------
    "missing": Message("required, but missing", "A required field (see the tables above) is not there."),
    "unknown_field": Message(
        "unknown field",
        "A misspelt or invented field name (`deadline_day` for `deadline_days`); unknown fields are refused "
        "rather than ignored.",
    ),
    "unknown_field_comma": Message(
        "unknown field with no value: an unquoted comma inside {{…}} splits the text; put the text in quotes",
        "In a one-line item such as `{{code: depth, description: Глубина, см}}` the comma ends the text and "
        'starts a new field `см`. Write `description: "Глубина, см"`.',
    ),
    "text": Message("must be text", "A list, mapping or number where text is expected."),
    "empty": Message("must not be empty", "A required text is empty or only spaces."),
    "too_long": Message("at most {max_length} characters", "The text is longer than the table allows."),
    "slug": Message(
        "must be a slug: lower-case Latin letters, digits, - and _, starting with a letter or a digit",
        "Capitals, spaces, Cyrillic or other characters in a slug, service code or attribute code.",
    ),
    "month_day": Message(
        'must be a day of the year written "MM-DD", e.g. "04-16"',
        "A season's `start` or `end` written another way (`16.04`, `4-16`, `April 16`).",
    ),
    "whole_number": Message("must be a whole number", "Text or a fraction where a count is expected."),
    "number": Message("must be a number", "Text where a number (a coordinate, say) is expected."),
    "at_least": Message("must be at least {limit}", "The number is below the range in the tables above."),
    "at_most": Message("must be at most {limit}", "The number is above the range in the tables above."),
    "boolean": Message("must be true or false", "Another word where a yes/no flag is expected."),
    "list": Message(
        "must be a list", "A single value or mapping where a list (`- item` lines or `[…]`) is expected."
    ),
    "mapping": Message(
        "must be a mapping (key: value lines, or {{key: value, …}})",
        "A list or a single value where an item with fields is expected.",
    ),
    "list_too_short": Message(
        "must list at least {min_length}", "A required section is empty (a city needs a district, …)."
    ),
    "list_length": Message(
        "must have exactly {length} items", "`center` is not a pair `[latitude, longitude]`."
    ),
    "one_of": Message(
        "must be one of {expected}", "A value outside the fixed list (a `datatype`, an `action`)."
    ),
    "invalid": Message(
        "not valid: {detail}", "A check not covered above; the detail says what the checker expected."
    ),
    "timezone": Message(
        "unknown time zone {value!r}: use an IANA name such as Europe/Moscow",
        "A misspelt zone or an offset such as `+03:00`.",
    ),
    "email": Message("not an e-mail address", "A department's `email` is not an address."),
    "url": Message(
        "must be a web address starting with https:// or http://, like https://gorod.example",
        "`site.url` without the scheme, or with spaces.",
    ),
    "host": Message(
        "must be a host name like gorod.example, without a scheme, path or port",
        "An entry of `site.hosts` copied with `https://` or a path.",
    ),
    "list_needs_values": Message(
        "a {datatype} needs values", "A list attribute without `values` to choose from."
    ),
    "list_takes_no_values": Message(
        "a {datatype} takes no values", "`values` given for an attribute that is not a list type."
    ),
    "placeholder": Message(
        "unknown placeholder {placeholder}; use {known}",
        "A typo in a response template's `{{…}}` placeholder, or one that does not exist.",
    ),
    "no_such_day": Message(
        "there is no such day", "A date that the calendar does not have (`2027-02-29`, `04-31`)."
    ),
    "date_format": Message(
        "not a date: write YYYY-MM-DD (2027-12-31) or DD.MM.YYYY (31.12.2027)",
        "A calendar date in another format (`12/31/2027`, `31.12.27`).",
    ),
    # --- district boundaries ------------------------------------------------------------------------
    "boundary_type": Message(
        "must be a GeoJSON Polygon or MultiPolygon",
        "Another GeoJSON `type` (`Point`, `LineString`, a `Feature`) or none.",
    ),
    "boundary_nesting": Message(
        "coordinates must be {expected}",
        "Brackets nested one level too deep or too shallow, or a point that is not two numbers.",
    ),
    "ring_too_short": Message(
        "a ring needs at least 4 points, the last repeating the first; this one has {count}",
        "A ring that is a line or a single point.",
    ),
    "ring_not_closed": Message(
        "the ring is not closed: its last point {last} must repeat its first {first}",
        "GeoJSON rings end where they start; the closing point was left out.",
    ),
    "lon_lat": Message(
        "{point} is not [longitude, latitude] in degrees (longitude −180…180, latitude −90…90)",
        "Coordinates in metres or another projection, or latitude and longitude swapped far from the "
        "equator. (Swapped coordinates of a city are often still in range: then reports are refused "
        "as outside the city.)",
    ),
    "invalid_polygon": Message(
        "not a valid polygon: {reason}",
        "The outline crosses itself (a figure eight), a hole lies outside its polygon, or rings touch "
        "along a line; the reason and the point come from the geometry library (shapely).",
    ),
    "overlap": Message(
        "overlaps {other} by {area} m²: a report there could go to either district's department",
        "Two districts claim the same ground beyond a sliver of {tolerance} m². Make neighbours share "
        "exactly the same border points.",
    ),
    "gap": Message(
        "warning: the districts leave {area} km² ({share}% of the city's bounding box) uncovered inside "
        "the city; reports there are refused as outside the city",
        "Holes between districts larger than {share_limit}% of the bounding box (a district missing, "
        "or borders that do not meet). Only a warning: a lake or a closed area may be meant.",
    ),
    # --- references between sections ---------------------------------------------------------------
    "no_object_type": Message('no object type "{value}"', "The slug is not in `object_types`."),
    "no_department": Message('no department "{value}"', "The slug is not in `departments`."),
    "no_district": Message('no district "{value}"', "The slug is not in `districts`."),
    "no_category": Message('no category "{value}"', "The service code is not in `categories`."),
    "appears_twice": Message(
        '"{value}" appears twice (first at {first})',
        "Two items share a slug, service code, attribute code or value key; each must be unique.",
    ),
    "routing_twice": Message(
        "this category already has a rule for this district at {first}",
        "Two routing rules for the same category and district.",
    ),
    "holiday_and_workday": Message(
        "{value} is both a holiday and a working day", "The same date is in both calendar lists."
    ),
    # --- brand (cityfile.brand) ---------------------------------------------------------------------
    "colour": Message(
        "must be a colour written #rrggbb or #rgb, like #12326b",
        "A colour of `brand` written by name (`navy`), as rgb() or without its `#`.",
    ),
    "contrast": Message(
        "white text on {value} has a contrast of {ratio}:1; at least {needed}:1 is needed (WCAG AA)",
        "A `brand` colour too light for the header's white text to be read on it.",
    ),
    "logo_path": Message(
        "must be a file name relative to the city file, inside its folder",
        "An absolute `brand.logo` path, or one that climbs out of the city file's folder with `..`.",
    ),
    "logo_unreadable": Message(
        "the logo file cannot be read: {reason}",
        "`brand.logo` names a file that is missing or unreadable (paths are relative to the city file).",
    ),
    "logo_image": Message(
        "the logo is not a picture Gorod can read (PNG, JPEG, WebP or GIF, not SVG): {reason}",
        "`brand.logo` is an SVG, a damaged picture, or not a picture at all.",
    ),
    # --- against what is already imported -----------------------------------------------------------
    "jurisdiction_taken": Message(
        '"{value}" already belongs to the municipality "{other}"',
        "Another municipality of the installation has this `jurisdiction_id`.",
    ),
    "host_taken": Message(
        'the host "{value}" already belongs to the municipality "{other}"',
        "Another municipality of the installation answers on this host name.",
    ),
    "refused_by_model": Message(
        "{model} ({key}): {details}",
        "A database rule the file checks did not foresee; the details name the field.",
    ),
}


def text(name: str, /, **params: object) -> str:
    return MESSAGES[name].text.format(**params)


class _AsWritten(dict):
    """Shows each placeholder by its name, as the documentation does."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def markdown_table() -> str:
    """The table of docs/city-config.md's "Error messages" section."""
    rows = ["| message | cause |", "|---|---|"]
    limits = {
        "tolerance": f"{OVERLAP_TOLERANCE_M2:,}".replace(",", " "),
        "share_limit": f"{GAP_SHARE * 100:g}",
    }
    for message in MESSAGES.values():
        shown = message.text.format_map(_AsWritten()).replace("|", "\\|")
        cause = message.cause.format(**limits).replace("|", "\\|")
        rows.append(f"| `{shown}` | {cause} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
