"""Map feedback: contributions (a pin, a line, an area, or typed coordinates), bad input refused with
nothing saved, closed phases, agree once (also under concurrency), the heatmap's numbers, the GeoJSON
export (valid, without personal data), staff's paper responses and moderation, hostile text."""

from __future__ import annotations

import json
import threading

import geojson
import h3
import pytest
from django.db import close_old_connections, connection
from django.utils import translation

from gorod.accounts.models import User
from gorod.consultations import services as project_services
from gorod.consultations.errors import Refused
from gorod.consultations.map_feedback import selectors, services
from gorod.consultations.map_feedback.models import MapAgreement, MapContribution
from gorod.consultations.models import Participation
from gorod.core import geo
from tests.helpers import wait_for

pytestmark = pytest.mark.usefixtures("english")

INSIDE = (59.985, 30.26)  # in PARK, in the test city's north district
LINE = {"type": "LineString", "coordinates": [[30.255, 59.982], [30.265, 59.987]]}
AREA = {
    "type": "Polygon",
    "coordinates": [[[30.255, 59.982], [30.265, 59.982], [30.265, 59.987], [30.255, 59.982]]],
}
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def point(lat: float = INSIDE[0], lon: float = INSIDE[1]) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


@pytest.fixture
def make_map(make_project):
    def make(state: str = "open", **settings):
        project = make_project(state=state, slug=f"map-{state}-{MapContribution.objects.count()}")
        settings.setdefault("questions", [])
        module = project_services.module_add(
            phase=project.phase_list()[0], kind="map_feedback", title="Карта парка"
        )
        module.settings = settings
        module.save()
        return module

    return make


@pytest.fixture
def module(make_map, admin_user):
    module = make_map()
    return services.settings_set(
        module=module,
        staff=admin_user,
        questions_text="Что здесь не так?\nЧего не хватает? | Скамеек | Света | Деревьев",
        tags_text="дорожки, освещение",
    )


def person(name: str) -> User:
    return User.objects.create_user(username=name, password="x-pass-12345", role=User.Role.CITIZEN)


def add(module, user, **fields):
    fields.setdefault("geometry", point())
    fields.setdefault("sentiment", 4)
    return services.contribution_add(module=module, user=user, **fields)


def test_a_pin_line_and_area_with_answers_and_tags(module, citizen):
    pin = add(
        module, citizen, answers={"q1": "Темно", "q2": "Света"}, tags=["освещение"], comment="  Нужен фонарь "
    )
    line = add(module, citizen, geometry=json.dumps(LINE), sentiment=2)
    area = add(
        module, citizen, geometry={"type": "Feature", "geometry": AREA, "properties": {}}, sentiment="5"
    )
    assert (pin.shape, line.shape, area.shape) == ("point", "line", "area")
    assert pin.answers == {"q1": "Темно", "q2": "Света"} and pin.tags == ["освещение"]
    assert pin.comment == "Нужен фонарь"
    assert pin.cell == geo.cell_of(*INSIDE)
    assert (round(pin.lat, 6), round(pin.lon, 6)) == INSIDE
    assert area.sentiment == 5 and not area.paper and area.author == citizen
    assert Participation.objects.filter(user=citizen, project=module.phase.project).count() == 1


def test_typed_coordinates_work_without_the_map(module, citizen):
    c = add(module, citizen, geometry="", lat="59,985", lon=" 30.26 ")
    assert c.geometry == {"type": "Point", "coordinates": [30.26, 59.985]}


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"geometry": "", "lat": "", "lon": ""}, "Put a pin"),
        ({"geometry": "", "lat": "abc", "lon": "30"}, "as numbers"),
        ({"geometry": "", "lat": "nan", "lon": "30"}, "as numbers"),
        ({"geometry": "", "lat": "95", "lon": "30"}, "between -90 and 90"),
        ({"geometry": "{not json"}, "not valid GeoJSON"),
        ({"geometry": "[1, 2]"}, "not valid GeoJSON"),
        ({"geometry": {"type": "MultiPoint", "coordinates": [[30.26, 59.985]]}}, "point, a line or an area"),
        ({"geometry": {"type": "Point", "coordinates": [300, 59.9]}}, "out of range"),
        ({"geometry": {"type": "Point", "coordinates": ["a"]}}, "not valid"),
        ({"geometry": point(55.75, 37.61)}, "outside the city"),
        (
            {
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [30.255, 59.982],
                            [30.265, 59.987],
                            [30.265, 59.982],
                            [30.255, 59.987],
                            [30.255, 59.982],
                        ]
                    ],
                }
            },
            "crosses itself",
        ),
        (
            {
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[30.255 + i * 1e-5, 59.982] for i in range(600)],
                }
            },
            "too many corners",
        ),
        ({"sentiment": 0}, "from 1 to 5"),
        ({"sentiment": "6"}, "from 1 to 5"),
        ({"sentiment": "x"}, "from 1 to 5"),
        ({"answers": {"q2": "Фонтанов"}}, "offered answers"),
        ({"answers": {"q1": "я" * 501}}, "at most 500"),
        ({"tags": ["не из списка"]}, "from the list"),
        ({"comment": "я" * 2001}, "at most 2000"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(module, citizen, fields, words):
    with pytest.raises(Refused, match=words):
        add(module, citizen, **fields)
    assert MapContribution.objects.count() == 0
    assert Participation.objects.count() == 0


@pytest.mark.parametrize(("state", "words"), [("closed", "closed on"), ("upcoming", "opens on")])
def test_a_phase_not_open_refuses_and_changes_nothing(make_map, citizen, admin_user, state, words):
    module = make_map(state)
    with pytest.raises(Refused, match=words):
        add(module, citizen)
    assert MapContribution.objects.count() == 0


def test_the_closed_phase_still_takes_paper_and_refuses_agreeing(make_map, citizen, admin_user):
    module = make_map("closed")
    paper = services.paper_response_add(
        module=module, staff=admin_user, geometry="", lat="59.985", lon="30.26", sentiment=1
    )
    assert paper.paper and paper.author is None and paper.entered_by == admin_user
    with pytest.raises(Refused, match="closed on"):
        services.agree(contribution=paper, user=citizen)
    assert MapAgreement.objects.count() == 0


def test_signed_out_people_and_residents_are_refused_where_they_should_be(module, citizen):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Refused, match="Sign in"):
        add(module, AnonymousUser())
    with pytest.raises(Refused, match="administrators"):
        services.paper_response_add(module=module, staff=citizen, geometry=point(), sentiment=3)
    with pytest.raises(Refused, match="administrators"):
        services.settings_set(module=module, staff=citizen, questions_text="x", tags_text="")
    assert MapContribution.objects.count() == 0


def test_agree_once_and_never_with_ones_own(module, citizen):
    contribution = add(module, citizen)
    other = person("boris")
    services.agree(contribution=contribution, user=other)
    with pytest.raises(Refused, match="already agreed"):
        services.agree(contribution=contribution, user=other)
    with pytest.raises(Refused, match="your own"):
        services.agree(contribution=contribution, user=citizen)
    contribution.refresh_from_db()
    assert contribution.agree_count == 1 == MapAgreement.objects.count()


@pytest.mark.django_db(transaction=True)
def test_parallel_agrees_by_one_person_count_once(module, citizen, request):
    contribution = add(module, citizen)
    other = person("boris")
    request.getfixturevalue("real_database")
    n = 8
    barrier = threading.Barrier(n)
    outcomes: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            with translation.override("en"):
                outcomes[i] = services.agree(contribution=contribution, user=other)
        except Exception as exc:
            outcomes[i] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    wait_for(
        lambda: not any(t.is_alive() for t in threads),
        progress=lambda: sum(o is not None for o in outcomes),
        what="the parallel agrees",
    )
    assert sum(isinstance(o, MapAgreement) for o in outcomes) == 1
    assert all(isinstance(o, (MapAgreement, Refused)) for o in outcomes), outcomes
    assert MapAgreement.objects.filter(contribution=contribution).count() == 1
    assert MapContribution.objects.get(pk=contribution.pk).agree_count == 1


def test_the_heatmap_groups_visible_contributions_by_cell(module, citizen, admin_user):
    a = (59.985, 30.26)
    b = (59.9835, 30.2555)  # another resolution-10 cell
    for lat_lon, sentiment in [(a, 1), (a, 2), (b, 5)]:
        add(module, citizen, geometry=point(*lat_lon), sentiment=sentiment)
    hidden = add(module, citizen, geometry=point(*a), sentiment=5)
    services.hide(contribution=hidden, staff=admin_user, reason="spam")

    fine = {f["properties"]["cell"]: f["properties"] for f in selectors.heatmap(module, 10)["features"]}
    cell_a = h3.latlng_to_cell(*a, 10)
    cell_b = h3.latlng_to_cell(*b, 10)
    assert fine == {
        cell_a: {"cell": cell_a, "count": 2, "sentiment": 1.5},
        cell_b: {"cell": cell_b, "count": 1, "sentiment": 5.0},
    }

    coarse = selectors.heatmap(module, 7)["features"]
    parent = h3.cell_to_parent(cell_a, 7)
    assert h3.cell_to_parent(cell_b, 7) == parent
    assert [f["properties"] for f in coarse] == [{"cell": parent, "count": 3, "sentiment": 2.67}]
    collection = geojson.loads(json.dumps(selectors.heatmap(module, 9)))
    assert collection.is_valid
    assert selectors.parse_resolution("99") == selectors.parse_resolution("x") == selectors.DEFAULT_RESOLUTION


def test_the_export_is_valid_geojson_without_personal_data(module, citizen, admin_user):
    add(module, citizen, answers={"q1": "Темно"}, comment="Фонарь")
    add(module, citizen, geometry=LINE)
    add(module, citizen, geometry=AREA)
    services.paper_response_add(module=module, staff=admin_user, geometry=point(), sentiment=3)
    hidden = add(module, citizen, comment="скрыть")
    services.hide(contribution=hidden, staff=admin_user, reason="оскорбление")

    data = selectors.export(module)
    text = json.dumps(data, ensure_ascii=False)
    collection = geojson.loads(text)
    assert collection.is_valid, collection.errors()
    assert len(collection["features"]) == 4
    assert "скрыть" not in text
    for name in ("anna", "boss", "example.org", "author", "entered", "user"):
        assert name not in text.lower(), name
    properties = set(data["features"][0]["properties"])
    assert properties == {"shape", "sentiment", "comment", "answers", "tags", "agreements", "paper", "date"}
    assert [f["properties"]["paper"] for f in data["features"]].count(True) == 1


def test_hiding_needs_a_reason_and_shows_it_in_place(client, module, citizen, admin_user):
    c = add(module, citizen, comment="Обидные слова")
    with pytest.raises(Refused, match="Say why"):
        services.hide(contribution=c, staff=admin_user, reason=" ")
    services.hide(contribution=c, staff=admin_user, reason="Нарушает правила")
    page = client.get(f"/projects/{module.phase.project.slug}/map/{module.pk}/").content.decode()
    assert "Нарушает правила" in page and "Обидные слова" not in page
    services.show(contribution=c, staff=admin_user)
    c.refresh_from_db()
    assert not c.hidden and c.hidden_reason == ""


def test_hostile_text_renders_as_text(client, make_map, citizen, admin_user):
    module = make_map()
    services.settings_set(
        module=module,
        staff=admin_user,
        questions_text=HOSTILE + "\n" + HOSTILE + " | a<b> | <i>c",
        tags_text=HOSTILE,
    )
    add(module, citizen, comment=HOSTILE, answers={"q1": HOSTILE}, tags=[HOSTILE])
    client.force_login(citizen)
    page = client.get(f"/projects/{module.phase.project.slug}/map/{module.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    client.force_login(admin_user)
    staff = client.get(f"/projects/{module.phase.project.slug}/map/{module.pk}/staff/").content.decode()
    assert "<script>alert(1)" not in staff and "<img src=x" not in staff


def test_the_cached_heatmap_follows_every_change(module, citizen, admin_user):
    first = add(module, citizen, sentiment=1)
    assert json.loads(selectors.heatmap_json(module))["features"][0]["properties"]["count"] == 1
    add(module, citizen, sentiment=5)
    assert json.loads(selectors.heatmap_json(module))["features"][0]["properties"]["count"] == 2
    services.hide(contribution=first, staff=admin_user, reason="spam")
    assert json.loads(selectors.heatmap_json(module))["features"][0]["properties"] == {
        "cell": h3.latlng_to_cell(*INSIDE, 9),
        "count": 1,
        "sentiment": 5.0,
    }
    services.show(contribution=first, staff=admin_user)
    assert json.loads(selectors.heatmap_json(module))["features"][0]["properties"]["count"] == 2
