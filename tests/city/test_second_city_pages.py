"""Nothing of another city on a city's pages: with the test city (St Petersburg's coordinates, a Nevsky
Prospect in its gazetteer) in the same installation, every page, API document and error example of
Petrozavodsk, asked for on its own host, in both languages, shows only Petrozavodsk. And its mails link
to its own site, and a key of another city is refused in the request's language."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.test import Client

from gorod.accounts.models import User
from gorod.city.models import Category
from gorod.city.services import city_import_file
from gorod.demo.city import PETROZAVODSK_FILE
from gorod.notifications.models import Delivery
from gorod.open311.services import api_key_create
from gorod.reports.services import NewReport, report_create
from tests.helpers import fan_out, login_verified

pytestmark = pytest.mark.django_db
HOST = "ptz.gorod.example"
JURISDICTION = "petrozavodsk.gorod.local"
# St Petersburg's names and brand, the test city's, and coordinates near St Petersburg's centre.
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
OTHER_CITY = re.compile(
    r"Петербург|Petersburg|Невск|Nevsky|Твой бюджет|Your Budget|spb|Тестоград|Testgrad|testgrad"
    r"|(?<![\d.])(59\.9|30\.3)"
)


@pytest.fixture
def ptz(city, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    return city_import_file(PETROZAVODSK_FILE)


@pytest.fixture
def report(ptz, frozen_spring):
    pothole = Category.objects.get(municipality=ptz, service_code="road-pothole")
    data = NewReport(
        category=pothole,
        lat=61.7835,
        lon=34.3545,
        address="проспект Ленина, 5",
        description="Яма у остановки",
        attributes={"depth": "8"},
        contact_email="resident@example.org",
    )
    return report_create(municipality=ptz, data=data)


def only_petrozavodsk(response) -> str:
    # A CSRF token is random letters and may spell "spb" by chance.
    text = CSRF_TOKEN.sub("", response.content.decode())
    found = OTHER_CITY.search(text)
    if found is not None:
        around = text[max(0, found.start() - 80) : found.end() + 80]
        raise AssertionError(f"{found[0]!r} on {response.request['PATH_INFO']}: …{around}…")
    return text


@pytest.mark.parametrize("language", ["ru", "en"])
def test_no_page_of_petrozavodsk_shows_another_city(client, ptz, report, language):
    client.cookies["django_language"] = language
    grass = Category.objects.get(municipality=ptz, service_code="park-grass")
    pages = [
        "/",
        "/reports/",
        f"/reports/{report.pk}/",
        "/reports/new/",
        f"/reports/new/attributes/?category={grass.pk}",
        "/reports/districts.geojson",
        "/feeds/rss/",
        "/pb/",
        "/performance/",
        "/api/openapi.json",
        "/open311/v2/discovery.json",
        f"/open311/v2/services.json?jurisdiction_id={JURISDICTION}",
        f"/open311/v2/requests.json?jurisdiction_id={JURISDICTION}",
    ]
    for page in pages:
        response = client.get(page, HTTP_HOST=HOST)
        assert response.status_code == 200, page
        only_petrozavodsk(response)
    form = only_petrozavodsk(client.get("/reports/new/", HTTP_HOST=HOST))
    assert ("проспект Ленина, 2" if language == "ru" else "Lenin Avenue, 2") in form
    budget = only_petrozavodsk(client.get("/pb/", HTTP_HOST=HOST))
    assert ("Народный бюджет" if language == "ru" else "People&#x27;s Budget") in budget
    document = json.loads(client.get("/api/openapi.json", HTTP_HOST=HOST).content)
    assert f"`{JURISDICTION}`" in json.dumps(document, ensure_ascii=False)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_error_examples_are_coordinates_of_petrozavodsk(client, ptz, report, language):
    client.cookies["django_language"] = language
    key = api_key_create(name="ptz", municipality=ptz)[1]
    refusals = [
        client.get(f"/open311/v2/requests.json?jurisdiction_id={JURISDICTION}&bbox=w,s,e,n", HTTP_HOST=HOST),
        client.get(
            f"/open311/v2/requests.json?jurisdiction_id={JURISDICTION}&lat=north&long=34&radius=9",
            HTTP_HOST=HOST,
        ),
        client.post(
            "/open311/v2/requests.json",
            {
                "api_key": key,
                "jurisdiction_id": JURISDICTION,
                "service_code": "road-pothole",
                "lat": "x",
                "long": "1",
            },
            HTTP_HOST=HOST,
        ),
    ]
    for response in refusals:
        assert response.status_code == 400
        assert "34.3469" in only_petrozavodsk(response) or "61.7849" in response.content.decode()
    # Petrozavodsk's moderator: the account says which city's back office it works in, not the host.
    moderator = User.objects.create_user(
        username="moderator", password="x", role=User.Role.MODERATOR, municipality=ptz
    )
    staff = login_verified(Client(), moderator)
    staff.cookies["django_language"] = language
    response = staff.post(
        f"/backoffice/reports/{report.pk}/accept/",
        {"edit": "1", "lat": "north", "lon": "34.3"},
        HTTP_HOST=HOST,
    )
    assert response.status_code == 409
    assert "61.78" in only_petrozavodsk(response) and "34.35" in response.content.decode()


def test_a_key_of_another_city_is_refused_in_the_requests_language(client, ptz, city, frozen_spring):
    key = api_key_create(name="ptz only", municipality=ptz)[1]
    fields = {"api_key": key, "jurisdiction_id": "testgrad.example", "service_code": "pothole"}
    russian = client.post("/open311/v2/requests.json", fields)
    english = client.post("/open311/v2/requests.json", fields, HTTP_ACCEPT_LANGUAGE="en")
    assert russian.status_code == english.status_code == 403
    assert json.loads(russian.content)[0]["description"] == (
        "api_key: этот ключ не действует для этого jurisdiction_id."
    )
    assert json.loads(english.content)[0]["description"] == (
        "api_key: this key is not valid for this jurisdiction_id."
    )


def test_mails_link_to_the_site_of_their_city(ptz, report, file_report, settings):
    other = file_report(contact_email="neighbour@example.org")
    fan_out()
    (receipt,) = Delivery.objects.filter(report=report, kind="author")
    payload = json.loads(receipt.payload)
    assert f"https://petrozavodsk.gorod.example/reports/{report.pk}/" in payload["body"]
    assert payload["unsubscribe"].startswith("https://petrozavodsk.gorod.example/notifications/")
    (theirs,) = Delivery.objects.filter(report=other, kind="author")
    assert f"{settings.GOROD_SITE_URL}/reports/{other.pk}/" in json.loads(theirs.payload)["body"]


def test_a_sign_in_link_goes_to_the_site_it_was_asked_on(client, ptz):
    from gorod.notifications.tasks import deliver_due

    User.objects.create_user(username="anna", password="x", email="anna@example.org")
    client.post("/account/login/link/", {"email": "anna@example.org"}, HTTP_HOST=HOST)
    deliver_due()
    (message,) = mail.outbox
    assert "https://petrozavodsk.gorod.example/account/login/link/" in message.body
