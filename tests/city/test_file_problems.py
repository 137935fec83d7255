"""What an administrator reads when a city file is refused: every problem of the file at once, each with
its line and column, the path to the field and the value; boundaries checked as geometry before anything
is saved; and docs/city-config.md listing every message the checks can give."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gorod.city.models import District, Municipality
from gorod.city.services import CityFileInvalid, city_import_file, parse_city_file
from tests.conftest import DATA

pytestmark = pytest.mark.django_db
GOOD = (DATA / "test_city.yaml").read_text(encoding="utf-8")
NORTH = "[[[30.2, 59.95], [30.4, 59.95], [30.4, 60.05], [30.2, 60.05], [30.2, 59.95]]]"
SOUTH = "[[[30.2, 59.85], [30.4, 59.85], [30.4, 59.95], [30.2, 59.95], [30.2, 59.85]]]"
DOCS = Path(__file__).parents[2] / "docs" / "city-config.md"


def refused(text: str) -> list[str]:
    with pytest.raises(CityFileInvalid) as exc:
        parse_city_file(text, filename="city.yaml")
    return str(exc.value).splitlines()


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def changed(old: str, new: str, text: str = GOOD) -> str:
    assert old in text
    return text.replace(old, new, 1)


# --- boundaries -------------------------------------------------------------------------------------
def test_an_unclosed_ring_is_refused_at_its_last_point():
    text = changed(NORTH, "[[[30.2, 59.95], [30.4, 59.95], [30.4, 60.05], [30.2, 60.05]]]")
    (problem,) = refused(text)
    assert problem.startswith(f"line {line_of(text, '[30.2, 60.05]]]')}, column ")
    assert 'districts[0] (slug "north").boundary.coordinates[0][3]' in problem
    assert (
        "the ring is not closed: its last point [30.2, 60.05] must repeat its first [30.2, 59.95]" in problem
    )


def test_a_self_intersecting_polygon_is_refused_with_the_reason_and_the_point():
    bow_tie = "[[[30.2, 59.85], [30.4, 59.95], [30.4, 59.85], [30.2, 59.95], [30.2, 59.85]]]"
    (problem,) = refused(changed(SOUTH, bow_tie))
    assert (
        'districts[1] (slug "south").boundary: not a valid polygon: Self-intersection at [30.3, 59.9]'
        in problem
    )


def test_a_district_reaching_into_its_neighbour_is_refused_naming_both_and_the_area():
    # The case: north stretched 0.01° south, over a strip of south.
    stretched = "[[[30.2, 59.94], [30.4, 59.94], [30.4, 60.05], [30.2, 60.05], [30.2, 59.94]]]"
    (problem,) = refused(changed(NORTH, stretched))
    assert 'districts[0] (slug "north").boundary: overlaps districts[1] (slug "south"), line ' in problem
    area = int(re.search(r"by ([\d ]+) m²", problem)[1].replace(" ", ""))
    # 0.2° of longitude at 59.95° N by 0.01° of latitude: about 11.1 km × 1.11 km.
    assert 12_000_000 < area < 13_000_000


def test_a_sliver_along_a_shared_border_is_not_an_overlap():
    # Borders drawn twice a few centimetres apart.
    sliver = NORTH.replace("59.95", "59.9499997")
    assert parse_city_file(changed(NORTH, sliver)).districts[0].slug == "north"


def test_a_hole_between_districts_is_a_warning_not_a_refusal(tmp_path, capsys):
    # A notch cut into south's northern edge, closed by north: 0.1° × 0.05° that no district covers.
    text = changed(
        SOUTH,
        "[[[30.2, 59.85], [30.4, 59.85], [30.4, 59.95], [30.35, 59.95], [30.35, 59.9], [30.25, 59.9], "
        "[30.25, 59.95], [30.2, 59.95], [30.2, 59.85]]]",
    )
    city = parse_city_file(text)
    (warning,) = city.warnings
    assert warning.startswith("line ") and "warning: the districts leave " in warning
    assert "km² (" in warning and "uncovered inside the city" in warning
    path = tmp_path / "city.yaml"
    path.write_text(text, encoding="utf-8")
    call_command("import_city", str(path))
    assert "warning: the districts leave" in capsys.readouterr().err
    assert Municipality.objects.filter(slug="testgrad").exists()


def test_geometry_problems_of_several_districts_are_reported_together_and_nothing_is_saved(tmp_path):
    text = changed(NORTH, "[[[30.2, 59.95], [30.4, 59.95], [30.4, 60.05]]]")
    text = changed(
        SOUTH, "[[[30.2, 59.85], [30.4, 59.85], [30.4, 99.95], [30.2, 59.95], [30.2, 59.85]]]", text
    )
    path = tmp_path / "city.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CityFileInvalid) as exc:
        city_import_file(path)
    first, second = str(exc.value).splitlines()
    assert "a ring needs at least 4 points, the last repeating the first; this one has 3" in first
    assert "[30.4, 99.95] is not [longitude, latitude]" in second
    assert not District.objects.exists()


# --- every error says where ----------------------------------------------------------------------------
def test_an_impossible_unquoted_date_names_its_line_field_and_value_and_hides_nothing_else():
    text = changed("holidays: [2026-01-01,", "holidays: [2027-02-29, 2026-01-01,")
    text = changed("deadline_days: 9", "deadline_days: 0", text)
    problems = refused(text)
    assert problems == [
        f"line {line_of(text, 'deadline_days: 0')}, column 20: "
        'categories[0] (service_code "pothole").deadline_days = 0: must be at least 1',
        f"line {line_of(text, '2027-02-29')}, column 14: "
        'calendar.holidays[0] = "2027-02-29": there is no such day',
    ]


def test_dates_may_be_written_the_local_way_and_a_wrong_format_says_which_are_expected():
    text = changed("holidays: [2026-01-01,", "holidays: [31.12.2027, 12/31/2027, 2026-01-01,")
    (problem,) = refused(text)
    assert (
        'calendar.holidays[1] = "12/31/2027": not a date: write YYYY-MM-DD (2027-12-31) or DD.MM.YYYY'
        in problem
    )
    city = parse_city_file(changed("holidays: [2026-01-01,", "holidays: [31.12.2027, 2026-01-01,"))
    assert city.calendar.holidays[0] == dt.date(2027, 12, 31)


def test_a_routing_error_names_the_rules_category_and_district():
    text = changed(
        "  - {category: litter, district: south, department: south-yards}",
        "  - {category: litter, district: south, department: south-yards}\n"
        "  - {category: litter, district: south, department: nobody}",
    )
    twice, unknown = refused(text)
    assert (
        'routing[1] (category "litter", district "south"): this category already has a rule for this '
        in twice
    )
    assert 'district at routing[0] (category "litter", district "south"), line ' in twice
    assert unknown.endswith(
        'routing[1] (category "litter", district "south").department: no department "nobody"'
    )


def test_an_unquoted_comma_inside_braces_points_at_its_line_and_says_to_quote():
    text = changed(
        "description: Полоса, description_en: Lane}", "description: Полоса, крайняя, description_en: Lane}"
    )
    (problem,) = refused(text)
    assert problem.startswith(f"line {line_of(text, 'крайняя')}, column ")
    assert (
        '(code "lane").крайняя: unknown field with no value: an unquoted comma inside {…} splits the text'
        in problem
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("municipality:\n  slug: [unclosed\n", "line 3, column 1: not valid YAML: expected ',' or ']'"),
        ("a: {name: Яма: глубокая}\n", "line 1, column 14: not valid YAML: expected ',' or '}', but got ':'"),
        ("a:\n  - b: 1\n   c: 2\n", "line 3, column 4: not valid YAML: expected <block end>"),
    ],
)
def test_yaml_syntax_errors_point_at_the_line(text, expected):
    (problem,) = refused(text)
    assert problem.startswith(expected)


def test_a_key_written_twice_is_refused_at_the_second():
    text = changed("  timezone: Europe/Moscow\n", "  timezone: Europe/Moscow\n  timezone: Asia/Omsk\n")
    (problem,) = refused(text)
    assert problem.startswith(f"line {line_of(text, 'Asia/Omsk')}, column 3: municipality.timezone: the key")


def test_a_json_file_gets_lines_too():
    (problem,) = refused_json('{"municipality": {"slug": "x"},\n "districts": 1,}')
    assert problem.startswith("line 2, column 17: not valid JSON")


def refused_json(text: str) -> list[str]:
    with pytest.raises(CityFileInvalid) as exc:
        parse_city_file(text, filename="city.json")
    return str(exc.value).splitlines()


def test_a_conflict_with_the_database_also_says_where(city, tmp_path):
    path = tmp_path / "other.yaml"
    path.write_text(changed("slug: testgrad", "slug: other"), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import_city", str(path))
    assert f"line {line_of(GOOD, 'jurisdiction_id:')}, column 20: municipality.jurisdiction_id: " in str(
        exc.value
    )
    assert '"testgrad.example" already belongs to the municipality "testgrad"' in str(exc.value)


# --- the messages and their documentation ---------------------------------------------------------------
def test_the_guide_lists_every_message_with_its_cause():
    """docs/city-config.md carries the table `python -m gorod.city.cityfile.messages` prints."""
    from gorod.city.cityfile import messages

    assert messages.markdown_table() in DOCS.read_text(encoding="utf-8")


BAD_FILES = [
    changed("deadline_days: 9", "deadline_days: many"),
    changed("deadline_days: 9", "deadline_days: 1000"),
    changed("  zoom: 11", "  zoom: 11\n  colour: red"),
    changed("slug: north", "slug: North Side"),
    changed('season: {start: "04-16", end: "10-15"}', 'season: {start: "04-31", end: "16.10"}'),
    changed("photo_proof_required: true", "photo_proof_required: maybe"),
    changed("center: [59.95, 30.30]", "center: [59.95, 30.30, 1]"),
    changed("datatype: number, required: true", "datatype: blob, required: true"),
    changed("  timezone: Europe/Moscow", "  timezone: Europe/Atlantis"),
    changed("email: roads@example.org", "email: roads"),
    changed("name: Северный\n", "name: ''\n"),
    changed("departments:\n", "departments: none\nx:\n"),
    changed("{type: Polygon, coordinates: " + NORTH + "}", "{type: Point, coordinates: [30, 60]}"),
    changed("{type: Polygon, coordinates: " + NORTH + "}", "{type: Polygon, coordinates: [30, 60]}"),
    changed('text: "Работы по сообщению №{id} выполнены."', 'text: "№{nomer}"'),
    changed("object_type: yard\n", "object_type: garden\n"),
    changed("{slug: yards,", "{slug: roads,"),
    changed("workdays: [2026-05-16]", "workdays: [2026-05-16, 2026-05-01]"),
    changed(
        "  name_en: Testgrad", "  name_en: Testgrad\n  site: {url: gorod.example, hosts: ['https://x/']}"
    ),
    changed("values: [{key: small,", "values: [{key: large,"),
]


@pytest.mark.parametrize("text", BAD_FILES)
def test_every_problem_is_said_in_a_documented_message(text):
    from gorod.city.cityfile import messages

    patterns = [_pattern(m.text) for m in messages.MESSAGES.values()]
    for problem in refused(text):
        assert re.match(r"line \d+, column \d+: ", problem), problem
        said = problem.split(": ", 2)[-1]
        assert any(p.fullmatch(said) for p in patterns), problem


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{[a-z_]+(?:![rs])?\}", template.replace("{{", "\x00").replace("}}", "\x01"))
    literal = [re.escape(p).replace("\x00", "{").replace("\x01", "}") for p in parts]
    return re.compile(".+".join(literal), re.DOTALL)
