"""A second city beside the first in one installation: the hand-written demo file imports as written;
a request's host picks the municipality it shows; a mistyped GOROD_DEFAULT_MUNICIPALITY stops start-up
naming the slugs there are, instead of showing every page as "no city yet"."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from gorod.city.districts import district_at
from gorod.city.models import CalendarDay, Category, District, SiteHost
from gorod.city.selectors import department_for, municipality_for_host
from gorod.city.services import CityFileInvalid, city_import_file
from gorod.demo.city import PETROZAVODSK_FILE
from tests.conftest import DATA

pytestmark = pytest.mark.django_db
HOSTS = ["petrozavodsk.gorod.example", "petrozavodsk.localhost", "ptz.gorod.example"]


@pytest.fixture
def ptz(city):
    """Petrozavodsk, imported after the test city."""
    return city_import_file(PETROZAVODSK_FILE)


def test_the_second_demo_city_imports_as_written(ptz):
    assert (ptz.districts.count(), ptz.departments.count(), ptz.categories.count()) == (6, 5, 5)
    assert ptz.site_url == "https://petrozavodsk.gorod.example"
    assert sorted(SiteHost.objects.filter(municipality=ptz).values_list("host", flat=True)) == HOSTS
    assert (ptz.address_example, ptz.budgeting_name) == ("проспект Ленина, 2", "Народный бюджет")
    days = CalendarDay.objects.filter(municipality=ptz)
    assert days.count() == 28 and days.filter(date=dt.date(2027, 12, 31)).exists()  # written 31.12.2027
    centre = District.objects.get(municipality=ptz, slug="tsentr")
    assert district_at(ptz.pk, 61.7835, 34.3545) == centre.pk  # проспект Ленина
    litter = Category.objects.get(municipality=ptz, service_code="yard-litter")
    north = District.objects.get(municipality=ptz, slug="zareka")
    assert department_for(category=litter, district=north).slug == "uk-sever"
    assert department_for(category=litter, district=centre).slug == "uk-yug"


def test_a_host_picks_its_municipality_and_any_other_host_the_default(city, ptz, settings):
    assert municipality_for_host("ptz.gorod.example") == ptz
    assert municipality_for_host("Petrozavodsk.Gorod.Example:8443") == ptz
    assert municipality_for_host("testserver") == city  # no default set: the first imported
    settings.GOROD_DEFAULT_MUNICIPALITY = "petrozavodsk"
    assert municipality_for_host("testserver") == ptz
    assert municipality_for_host("") == ptz  # outside a request


def test_each_host_shows_its_own_city(client, city, ptz, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, *HOSTS]
    there = client.get("/", HTTP_HOST="ptz.gorod.example").content.decode()
    assert "Петрозаводск" in there and "Тестоград" not in there
    here = client.get("/").content.decode()
    assert "Тестоград" in here and "Петрозаводск" not in here


def test_a_host_of_another_municipality_is_refused_and_nothing_changes(ptz, tmp_path):
    text = (DATA / "test_city.yaml").read_text(encoding="utf-8")
    text = text.replace("  zoom: 11\n", "  zoom: 11\n  site: {url: 'https://ptz.gorod.example'}\n")
    path = tmp_path / "city.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CityFileInvalid) as exc:
        city_import_file(path)
    assert 'municipality.site.hosts[0]: the host "ptz.gorod.example" already belongs to the ' in str(
        exc.value
    )
    assert SiteHost.objects.get(host="ptz.gorod.example").municipality == ptz
    assert not SiteHost.objects.exclude(municipality=ptz).exists()


def test_a_reimport_replaces_the_hosts(ptz, tmp_path):
    text = PETROZAVODSK_FILE.read_text(encoding="utf-8").replace(
        "hosts: [petrozavodsk.gorod.example, ptz.gorod.example, petrozavodsk.localhost]",
        "hosts: [ptz.gorod.example]",
    )
    path = tmp_path / "ptz.yaml"
    shutil.copy(PETROZAVODSK_FILE.with_name("petrozavodsk-logo.png"), tmp_path)  # the logo goes along
    path.write_text(text, encoding="utf-8")
    city_import_file(path)
    assert list(SiteHost.objects.values_list("host", flat=True)) == ["ptz.gorod.example"]


def test_a_mistyped_default_municipality_stops_start_up_naming_the_known_slugs(ptz, settings):
    settings.GOROD_DEFAULT_MUNICIPALITY = "petrozavodks"
    (error,) = [e for e in checks.run_checks() if e.id == "gorod.E001"]
    assert error.is_serious()
    assert "'petrozavodks'" in error.msg
    assert "Known slugs: petrozavodsk, testgrad." in error.hint
    with pytest.raises(SystemCheckError):
        call_command("check")


@pytest.mark.parametrize("slug", ["", "petrozavodsk"])
def test_a_known_slug_or_none_passes_the_check(ptz, settings, slug):
    settings.GOROD_DEFAULT_MUNICIPALITY = slug
    assert not [e for e in checks.run_checks() if e.id == "gorod.E001"]


def test_before_the_first_import_any_slug_may_still_come(settings):
    settings.GOROD_DEFAULT_MUNICIPALITY = "petrozavodsk"
    assert not [e for e in checks.run_checks() if e.id == "gorod.E001"]
