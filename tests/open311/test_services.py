"""Discovery, the service list and service definitions, in both formats."""

from __future__ import annotations

import pytest

from gorod.city.models import Category
from tests.open311.conftest import JURISDICTION, errors_of

pytestmark = pytest.mark.django_db


def test_discovery_lists_this_endpoint_with_both_formats(o311, city):
    data = o311.both("discovery")
    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    (endpoint,) = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["changeset"] == data["changeset"]


def test_discovery_changeset_moves_when_a_service_changes(o311, city, categories):
    from gorod.core import clock

    before = o311.both("discovery")["changeset"]
    with clock.frozen(clock.now().replace(year=2099)):
        litter = categories["litter"]
        litter.keywords = "мусор"
        litter.save()
    assert o311.both("discovery")["changeset"] > before


def test_service_list_describes_every_active_category(o311, city):
    services = o311.both("services", jurisdiction_id=JURISDICTION)
    by_code = {s["service_code"]: s for s in services}
    assert set(by_code) == {"pothole", "litter", "graffiti-asphalt", "snow"}
    pothole = by_code["pothole"]
    assert pothole == {
        "service_code": "pothole",
        "service_name": "Яма на дороге",
        "description": "Ямы и выбоины на проезжей части",
        "metadata": True,
        "type": "realtime",
        "keywords": None,
        "group": "Дорога",
    }
    assert by_code["litter"]["metadata"] is False
    assert by_code["litter"]["group"] == "Двор"


def test_inactive_category_is_not_a_service(o311, city, categories):
    Category.objects.filter(pk=categories["snow"].pk).update(active=False)
    codes = [s["service_code"] for s in o311.both("services")]
    assert "snow" not in codes
    assert o311.get("services/snow").status_code == 404


def test_service_names_follow_the_locale_parameter(o311, city):
    services = o311.both("services", locale="en")
    pothole = next(s for s in services if s["service_code"] == "pothole")
    assert (pothole["service_name"], pothole["group"]) == ("Pothole", "Road")


def test_service_names_follow_accept_language(client, city):
    response = client.get("/open311/v2/services.json", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "en"
    assert "Litter in a yard" in response.content.decode()


def test_russian_is_the_default_language(client, city):
    response = client.get("/open311/v2/services.json")
    assert response["Content-Language"] == "ru"
    assert "Мусор во дворе" in response.content.decode()


def test_unknown_locale_falls_back_instead_of_failing(o311, city):
    assert o311.get("services", locale="xx-<script>").status_code == 200


def test_service_definition_lists_attributes_of_all_six_datatypes(o311, city):
    definition = o311.both("services/pothole", jurisdiction_id=JURISDICTION)
    assert definition["service_code"] == "pothole"
    attributes = {a["code"]: a for a in definition["attributes"]}
    assert {a["datatype"] for a in attributes.values()} == {
        "string",
        "number",
        "datetime",
        "text",
        "singlevaluelist",
        "multivaluelist",
    }
    assert attributes["depth"]["required"] is True
    assert attributes["lane"]["required"] is False
    assert attributes["depth"]["variable"] is True
    assert attributes["depth"]["description"] == "Глубина, см"
    assert attributes["hazards"]["values"] == [
        {"key": "water", "name": "Вода"},
        {"key": "dark", "name": "Темно"},
    ]
    assert attributes["depth"]["values"] == []
    orders = [a["order"] for a in definition["attributes"]]
    assert orders == list(range(1, len(orders) + 1)), "distinct positive orders, as the spec asks"


def test_service_definition_in_english(o311, city):
    definition = o311.both("services/pothole", locale="en")
    size = next(a for a in definition["attributes"] if a["code"] == "size")
    assert size["description"] == "Size"
    assert size["values"][1] == {"key": "large", "name": "Large"}


@pytest.mark.parametrize("code", ["nope", "POTHOLE", "x" * 500, "<script>"])
def test_unknown_service_code_is_404_with_an_error_list(o311, city, code):
    for fmt in ("json", "xml"):
        response = o311.get(f"services/{code}", fmt)
        assert response.status_code == 404
        assert errors_of(response)[0].startswith("service_code:")


def test_service_of_another_municipality_is_not_found(o311, city, second_city):
    assert o311.get("services/pothole", jurisdiction_id="other.example").status_code == 404
    assert o311.get("services/pit", jurisdiction_id="other.example").status_code == 200
    assert o311.get("services/pit", jurisdiction_id=JURISDICTION).status_code == 404
