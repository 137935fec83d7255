"""/stats/ and /backoffice/stats/: the charts, their tables and CSVs, filters and bad input."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.conf import settings
from django.test import Client

from gorod.accounts.models import User
from gorod.analytics.stats import rollup
from gorod.analytics.stats.dashboard import PUBLIC_CHARTS
from gorod.city.models import Category, Department, District
from gorod.core import clock
from gorod.reports.services import report_create
from tests.analytics.conftest import at
from tests.helpers import login_verified

pytestmark = pytest.mark.django_db
MAY = {"from": "2026-05-01", "to": "2026-05-31"}


@pytest.fixture
def en(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def rolled(city, history):
    with clock.frozen(at("2026-06-01", 3)):
        rollup.roll_due(municipality=city)
    return history


def table(html: str, key: str) -> list[list[str]]:
    """The chart's data table as rows of cell texts (header first)."""
    found = re.search(rf'<table[^>]*data-table="{key}"[^>]*>(.*?)</table>', html, re.S)
    assert found, key
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_page_shows_every_chart_with_its_table(en, city, rolled):
    with clock.frozen(at("2026-06-02")):
        response = en.get("/stats/", MAY)
    assert response.status_code == 200
    html = response.text
    for key in PUBLIC_CHARTS:
        assert f'id="chart-{key}"' in html
    assert html.count('role="img"') >= 8 and "<title id=" in html and "<desc id=" in html
    assert table(html, "category")[1:] == [["Pothole", "3"], ["Litter in a yard", "1"]]
    assert ["2026-05", "4"] in table(html, "month")
    assert "Median: 5.0 working days" in html  # 2, 3, 7, 11
    assert table(html, "ratings")[1:] == [["1", "0"], ["2", "1"], ["3", "0"], ["4", "1"], ["5", "1"]]
    assert 'href="/backoffice/stats/' not in html  # the public page offers no department drill-down


@pytest.mark.parametrize("key", PUBLIC_CHARTS)
def test_each_csv_equals_its_table(en, city, rolled, key):
    with clock.frozen(at("2026-06-02")):
        html = en.get("/stats/", MAY).text
        response = en.get(f"/stats/csv/{key}/", MAY)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    if f'data-table="{key}"' not in html:  # nothing to show (no budgeting vote here): the header only
        assert len(csv_rows(response)) == 1
        return
    shown = [[("" if cell == "—" else cell) for cell in row] for row in table(html, key)]
    assert csv_rows(response) == shown


@pytest.mark.parametrize(
    "params",
    [
        {"district": "999999"},
        {"district": "abc"},
        {"category": "-1"},
        {"department": "1"},  # not a public filter
        {"period": "decade"},
        {"from": "2026-13-45"},
        {"from": "2026-05-31", "to": "2026-05-01"},
        {"sort": "x", "evil": "<script>alert(1)</script>"},
        {"district": "\x00"},
        {"category": "1" * 40},
    ],
)
def test_bad_filters_are_ignored_with_a_message_and_refused_for_csv(en, city, rolled, params):
    with clock.frozen(at("2026-06-02")):
        page = en.get("/stats/", params)
        data = en.get("/stats/csv/category/", params)
    assert page.status_code == 200
    assert 'class="notice notice-warning"' in page.text
    assert "<script>alert" not in page.text
    assert data.status_code == 400 and data.content


def test_an_unknown_chart_is_not_found(en, city):
    assert en.get("/stats/csv/nothing/").status_code == 404


def test_filters_narrow_every_chart(en, city, rolled):
    north = District.objects.get(municipality=city, slug="north")
    litter = Category.objects.get(municipality=city, service_code="litter")
    with clock.frozen(at("2026-06-02")):
        html = en.get("/stats/", MAY | {"district": north.pk, "category": litter.pk}).text
        rows = csv_rows(en.get("/stats/csv/category/", MAY | {"district": north.pk, "category": litter.pk}))
    assert rows[1:] == [["Litter in a yard", "1"]]
    assert [r[0] for r in table(html, "district")[1:]] == [north.label]
    assert "Median: 2.0 working days" in html  # D only


def test_a_hostile_category_name_is_text_and_a_formula_is_neutralized(en, city, rolled):
    Category.objects.filter(municipality=city, service_code="pothole").update(
        name_en='=HYPERLINK("http://x")<img src=x onerror=alert(1)>'
    )
    with clock.frozen(at("2026-06-02")):
        html = en.get("/stats/", MAY).text
        rows = csv_rows(en.get("/stats/csv/category/", MAY))
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert rows[1][0].startswith("'=HYPERLINK")


def test_the_page_reads_a_fixed_number_of_queries(en, city, rolled, new_report, django_assert_num_queries):
    with clock.frozen(at("2026-06-02")):
        en.get("/stats/", MAY)  # the process loads the rollups and the map index once
        # The host's city, the rollup stamp, the names of districts and categories, the populations, the
        # turnout process (none here), the filter's choices (districts, categories). The district
        # outlines are read once per process and city configuration.
        with django_assert_num_queries(8):
            en.get("/stats/", MAY)
        for _ in range(3):  # more reports change no count
            report_create(municipality=city, data=new_report())
        with django_assert_num_queries(8):
            en.get("/stats/", MAY)


@pytest.fixture
def auditor(city):
    user = User.objects.create_user(username="auditor", password="x", role=User.Role.AUDITOR)
    client = login_verified(Client(), user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_staff_see_departments_and_drill_down(city, rolled, auditor):
    with clock.frozen(at("2026-06-02")):
        response = auditor.get("/backoffice/stats/", MAY)
    assert response.status_code == 200
    roads = Department.objects.get(municipality=city, slug="roads")
    assert f"department={roads.pk}" in response.text and 'data-table="department"' in response.text
    with clock.frozen(at("2026-06-02")):
        drilled = auditor.get("/backoffice/stats/", MAY | {"department": roads.pk})
        data = auditor.get("/backoffice/stats/csv/department/", MAY | {"department": roads.pk})
    assert table(drilled.text, "category")[1:] == [["Pothole", "3"]]
    assert [r[0] for r in csv_rows(data)[1:]] == [roads.label]


def test_the_staff_page_is_closed_to_the_public_and_citizens(client, city, django_user_model):
    assert client.get("/backoffice/stats/").status_code == 302
    citizen = django_user_model.objects.create_user(username="c", password="x-Long-enough-42")
    client.force_login(citizen)
    assert client.get("/backoffice/stats/").status_code == 403


@pytest.fixture
def ballots(city):
    """A budgeting process with 3 ballots in the north (population from the city file), 1 in the south
    and 2 city-wide ones, which belong to no district."""
    from gorod.budgeting.models import Ballot
    from gorod.budgeting.services import process_create
    from tests.budgeting.conftest import phase_plan
    from tests.conftest import SPRING_DAY

    d = {x.slug: x for x in city.districts.all()}
    with clock.frozen(SPRING_DAY):
        process = process_create(
            municipality=city, slug="pb", title="Твой бюджет", title_en="Your budget",
            budgets=[(None, 1000), (d["north"], 500), (d["south"], 500)], phase_list=phase_plan("ballot"),
        )  # fmt: skip
    hour = SPRING_DAY.replace(minute=0, second=0, microsecond=0)
    for district, n in ((d["north"], 3), (d["south"], 1), (None, 2)):
        for _ in range(n):
            Ballot.objects.create(process=process, district=district, choices=["1"], cast_hour=hour)
    District.objects.filter(pk=d["north"].pk).update(population=2000)
    District.objects.filter(pk=d["south"].pk).update(population=0)
    rollup.roll_ballots(municipality=city)
    return process


def test_turnout_per_thousand_residents(en, city, ballots):
    html = en.get("/stats/").text
    rows = {r[0]: r[1:] for r in table(html, "turnout")[1:]}
    north, south = (District.objects.get(municipality=city, slug=s).label for s in ("north", "south"))
    assert rows[north] == ["3", "2000", "1.50"]
    assert rows[south] == ["1", "—", "—"]  # no population given: no rate
    assert "Your budget" in html
    assert csv_rows(en.get("/stats/csv/turnout/"))[1:] == [
        [r[0], *("" if c == "—" else c for c in r[1:])] for r in table(html, "turnout")[1:]
    ]


def test_performance_links_a_department_to_its_reports(en, city, rolled):
    roads = Department.objects.get(municipality=city, slug="roads")
    html = en.get("/performance/", MAY).text
    link = f"/reports/?department={roads.pk}&amp;from=2026-05-01&amp;to=2026-05-31"
    assert link in html
    listed = en.get(f"/reports/?department={roads.pk}&from=2026-05-01&to=2026-05-31")
    assert listed.status_code == 200
    shown = set(re.findall(r'href="/reports/(\d+)/"', listed.text))
    expected = {str(r.pk) for r in rolled.values() if r.department_id == roads.pk}
    assert shown == expected and len(expected) == 3
    assert f'name="department" value="{roads.pk}"' in listed.text  # the form keeps the filter
    unknown = en.get("/reports/?department=999999")
    assert unknown.status_code == 200 and "There is no department" in unknown.text


def test_the_back_office_menu_links_the_staff_statistics(city, auditor):
    assert 'href="/backoffice/stats/"' in auditor.get("/backoffice/").text
