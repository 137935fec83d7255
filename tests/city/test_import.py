"""import_city: a good file loads everything; a bad one is refused naming the field and place, and
nothing of it is imported."""

import copy
import json

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import translation

from gorod.city.models import CalendarDay, Category, District, Municipality, RoutingRule
from gorod.city.services import CityFileInvalid, city_import_file, parse_city_file
from tests.conftest import DATA

pytestmark = pytest.mark.django_db
GOOD = yaml.safe_load((DATA / "test_city.yaml").read_text())


def _write(tmp_path, data, name="city.yaml"):
    path = tmp_path / name
    path.write_text(
        json.dumps(data, default=str) if name.endswith(".json") else yaml.safe_dump(data, allow_unicode=True)
    )
    return path


def test_good_file_imports_everything(city):
    assert city.jurisdiction_id == "testgrad.example"
    assert District.objects.filter(municipality=city).count() == 2
    pothole = Category.objects.get(service_code="pothole")
    assert pothole.deadline_days == 9 and pothole.photo_proof_required
    assert {a.datatype for a in pothole.attributes.all()} == {
        "string",
        "number",
        "datetime",
        "text",
        "singlevaluelist",
        "multivaluelist",
    }
    assert Category.objects.get(service_code="snow").season_start == "11-15"
    assert RoutingRule.objects.filter(district__slug="south", category__service_code="litter").exists()
    assert CalendarDay.objects.filter(kind="workday").count() == 1


def test_json_works_like_yaml(tmp_path):
    muni = city_import_file(_write(tmp_path, GOOD, "city.json"))
    assert muni.categories.count() == 4


def test_reimport_updates_in_place(city, tmp_path):
    data = copy.deepcopy(GOOD)
    data["categories"][0]["deadline_days"] = 5
    data["categories"] = data["categories"][:3]  # snow dropped -> deactivated, not deleted
    city_import_file(_write(tmp_path, data))
    assert Municipality.objects.count() == 1
    assert Category.objects.get(service_code="pothole").deadline_days == 5
    assert not Category.objects.get(service_code="snow").active


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["categories"][0].update(deadline_days=0),
            'categories[0] (service_code "pothole").deadline_days',
        ),
        (
            lambda d: d["categories"][1].update(object_type="nowhere"),
            'categories[1] (service_code "litter").object_type',
        ),
        (lambda d: d["categories"][2].update(season={"start": "13-01", "end": "10-15"}), "season.start"),
        (
            lambda d: d["districts"][1].update(boundary={"type": "Point", "coordinates": [30, 59]}),
            'districts[1] (slug "south").boundary',
        ),
        (lambda d: d["districts"][0].update(slug="North Side"), 'districts[0] (slug "North Side").slug'),
        (
            lambda d: d["categories"][0]["attributes"][4].update(values=[]),
            'categories[0] (service_code "pothole").attributes[4] (code "size")',
        ),
        (
            lambda d: d["categories"][0]["attributes"][0].update(datatype="blob"),
            'attributes[0] (code "depth").datatype',
        ),
        (
            lambda d: d["routing"][0].update(district="west"),
            'routing[0] (category "litter", district "west").district: no district "west"',
        ),
        (lambda d: d["municipality"].update(timezone="Mars/Base"), "municipality.timezone"),
        (lambda d: d["calendar"]["holidays"].append("2026-02-30"), "calendar.holidays[9]"),
        (lambda d: d["calendar"]["workdays"].append("2026-01-01"), "both a holiday and a working day"),
        (lambda d: d["categories"].append(copy.deepcopy(d["categories"][0])), '"pothole" appears twice'),
        (lambda d: d.update(colour="red"), "colour"),
        (lambda d: d["departments"][0].update(email="not-an-email"), 'departments[0] (slug "roads").email'),
        (lambda d: d.pop("districts"), "districts"),
    ],
)
def test_bad_file_is_refused_naming_the_place_and_nothing_is_imported(tmp_path, change, expected):
    data = copy.deepcopy(GOOD)
    change(data)
    with pytest.raises(CityFileInvalid) as exc:
        city_import_file(_write(tmp_path, data))
    assert expected in str(exc.value)
    assert Municipality.objects.count() == 0 and Category.objects.count() == 0


def test_error_late_in_the_import_rolls_back_what_came_before(city, tmp_path, monkeypatch):
    # A model-level refusal after districts were written must leave the old city as it was.
    from django.core.exceptions import ValidationError

    def refuse(self, *args, **kwargs):
        raise ValidationError({"name": ["refused by the model"]})

    monkeypatch.setattr(Category, "full_clean", refuse)
    data = copy.deepcopy(GOOD)
    data["districts"][0]["population"] = 123
    with translation.override("en"), pytest.raises(CityFileInvalid) as exc:
        city_import_file(_write(tmp_path, data))
    assert 'category (service_code "pothole"): name: refused by the model' in str(exc.value)
    assert District.objects.get(slug="north").population == 100000


@pytest.mark.parametrize(
    "text", ["", "[1, 2]", "municipality: [unclosed", "\x00\x01", "calendar:\n  holidays: [2026-02-30]\n"]
)
def test_unreadable_files_are_refused(text):
    with pytest.raises(CityFileInvalid):
        parse_city_file(text, filename="city.yaml")


def test_command_reports_the_error_and_exits_nonzero(tmp_path):
    data = copy.deepcopy(GOOD)
    data["categories"][0]["deadline_days"] = -1
    with pytest.raises(CommandError) as exc:
        call_command("import_city", str(_write(tmp_path, data)))
    assert "Refused, nothing imported" in str(exc.value) and "deadline_days" in str(exc.value)


def test_command_imports_a_good_file(capsys):
    call_command("import_city", str(DATA / "test_city.yaml"))
    assert "Imported Тестоград" in capsys.readouterr().out


def test_a_jurisdiction_id_of_another_municipality_is_refused(city, tmp_path):
    data = copy.deepcopy(GOOD)
    data["municipality"]["slug"] = "other"
    with pytest.raises(CityFileInvalid) as exc:
        city_import_file(_write(tmp_path, data))
    assert "municipality.jurisdiction_id" in str(exc.value)
    assert Municipality.objects.count() == 1


# --- rejection reasons, response templates, answer moderation (issue 3) ------------------------------------
def test_reasons_templates_and_answer_moderation_are_imported(city):
    from gorod.city.models import RejectionReason, ResponseTemplate

    assert list(RejectionReason.objects.filter(municipality=city).values_list("code", flat=True)) == [
        "no-place", "not-city", "abusive",
    ]  # fmt: skip
    assert Category.objects.get(service_code="litter").answer_moderation
    assert not Category.objects.get(service_code="pothole").answer_moderation
    pothole = ResponseTemplate.objects.get(title="Яма заделана")
    assert pothole.category.service_code == "pothole" and pothole.action == "resolve"
    assert ResponseTemplate.objects.get(title="Работы начаты").category is None


def test_reimport_replaces_templates_and_renames_reasons_in_place(city, tmp_path):
    from gorod.city.models import RejectionReason, ResponseTemplate

    first = RejectionReason.objects.get(code="no-place").pk
    data = copy.deepcopy(GOOD)
    data["rejection_reasons"] = [{"code": "no-place", "name": "Место не найдено"}]
    data["response_templates"] = data["response_templates"][:1]
    city_import_file(_write(tmp_path, data))
    reason = RejectionReason.objects.get()
    assert (reason.pk, reason.name) == (first, "Место не найдено")
    assert list(ResponseTemplate.objects.values_list("title", flat=True)) == ["Яма заделана"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["rejection_reasons"].append({"code": "abusive", "name": "x"}),
            '"abusive" appears twice',
        ),
        (lambda d: d["rejection_reasons"][0].update(code="Bad Code"), "rejection_reasons[0]"),
        (lambda d: d["rejection_reasons"][0].pop("name"), 'rejection_reasons[0] (code "no-place").name'),
        (lambda d: d["response_templates"][0].update(action="explode"), 'response_templates[0] (title "Яма'),
        (lambda d: d["response_templates"][0].update(category="nowhere"), 'no category "nowhere"'),
        (lambda d: d["response_templates"][1].update(text="Срок {deadlin}"), "unknown placeholder {deadlin}"),
        (
            lambda d: d["response_templates"][1].update(text_en="{report.contact_email}"),
            "unknown placeholder",
        ),
        (lambda d: d["response_templates"][1].update(text=""), "response_templates[1]"),
        (lambda d: d["categories"][0].update(answer_moderation="maybe"), "answer_moderation"),
    ],
)
def test_bad_reasons_and_templates_are_refused(tmp_path, change, expected):
    data = copy.deepcopy(GOOD)
    change(data)
    with pytest.raises(CityFileInvalid) as exc:
        city_import_file(_write(tmp_path, data))
    assert expected in str(exc.value)
    assert Municipality.objects.count() == 0
