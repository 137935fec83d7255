"""A city may keep reports filed without signing in away from the public until a moderator has seen them
(issue 9, item 3: 200 anonymous reports were public at once): `hide_anonymous_until_moderated` in the
city file. Hidden means: not in the lists, the home page, the feeds, the map, Open311 or the form's
"similar reports nearby", and the report's own page says it awaits moderation without showing it."""

from __future__ import annotations

import copy
import json

import pytest
import yaml

from gorod.accounts.models import User
from gorod.city.models import Municipality
from gorod.city.services import city_import_file
from gorod.reports import clustering
from gorod.reports.services import moderation, report_create
from tests.backoffice.states import bring_to
from tests.conftest import DATA

pytestmark = pytest.mark.django_db
SPAM = "Купите слонов http://spam.example"


@pytest.fixture(autouse=True)
def _fresh_map_index():
    # The map's index is per process; another test's city of the same id must not answer here.
    clustering.reset()
    yield
    clustering.reset()


@pytest.fixture
def hiding(city):
    Municipality.objects.filter(pk=city.pk).update(hide_anonymous_until_moderated=True)
    city.refresh_from_db()
    return city


@pytest.fixture
def staff_moderator(db):
    return User.objects.create_user(username="moder", password="x", role=User.Role.MODERATOR)


@pytest.fixture
def resident(db):
    return User.objects.create_user(username="anna", email="anna@example.org", password="x")


def _everywhere(client, report) -> dict[str, bool]:
    """Where the public can find the report (True) or not."""
    link = f'/reports/{report.pk}/"'
    nearby = f"/reports/new/duplicates/?category={report.category_id}&lat={report.lat}&lon={report.lon}"
    map_json = json.loads(client.get("/reports/map.json?zoom=19").content)
    open311 = json.loads(client.get("/open311/v2/requests.json").content)
    return {
        "list": link in client.get("/reports/").content.decode(),
        "home": link in client.get("/").content.decode(),
        "feed": f"/reports/{report.pk}/<" in client.get("/feeds/rss/").content.decode(),
        "map": any(c.get("id") == report.pk for c in map_json["clusters"]),
        "open311 list": any(r["service_request_id"] == report.pk for r in open311),
        "open311 request": client.get(f"/open311/v2/requests/{report.pk}.json").status_code == 200,
        "nearby": link in client.get(nearby).content.decode(),
        "own page": SPAM in client.get(f"/reports/{report.pk}/").content.decode(),
    }


def test_by_default_a_new_anonymous_report_is_public_at_once(client, file_report, frozen_spring, city):
    report = file_report(description=SPAM, photos=[])
    assert all(_everywhere(client, report).values()), _everywhere(client, report)


def test_a_city_that_hides_them_shows_an_anonymous_report_only_once_moderated(
    client, file_report, frozen_spring, hiding, staff_moderator
):
    report = file_report(description=SPAM, photos=[])
    assert not any(_everywhere(client, report).values()), _everywhere(client, report)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert f"№&nbsp;{report.pk}" in page and "после проверки модератором" in page  # its filer is told
    moderation.report_accept(report=report, actor=staff_moderator)
    clustering.refresh(hiding.pk)
    assert all(_everywhere(client, report).values()), _everywhere(client, report)


def test_a_rejected_anonymous_report_is_public_as_before(client, file_report, frozen_spring, hiding):
    report = bring_to(file_report(description=SPAM, photos=[]), "rejected")
    assert _everywhere(client, report)["list"] and _everywhere(client, report)["open311 request"]


def test_a_signed_in_residents_report_is_public_at_once_even_then(
    client, new_report, frozen_spring, hiding, resident
):
    report = report_create(municipality=hiding, data=new_report(description=SPAM, photos=[]), author=resident)
    seen = _everywhere(client, report)
    assert all(seen.values()), seen


def test_the_city_file_turns_it_on_and_off(city, tmp_path):
    data = yaml.safe_load((DATA / "test_city.yaml").read_text())
    assert not city.hide_anonymous_until_moderated  # off unless the file says so
    on = copy.deepcopy(data)
    on["municipality"]["hide_anonymous_until_moderated"] = True
    path = tmp_path / "city.yaml"
    path.write_text(yaml.safe_dump(on, allow_unicode=True))
    assert city_import_file(path).hide_anonymous_until_moderated
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    assert not city_import_file(path).hide_anonymous_until_moderated
