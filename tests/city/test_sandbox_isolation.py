"""The training sandbox beside a real city (issue 13, item 6), through the real views and the real worker
loop: every page of the sandbox, public and back office, says so and no page of the city does; nothing it
mails reaches the mail backend; Open311, open data and the choice of a default city never show it."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.test import Client

from gorod.accounts.models import User
from gorod.analytics.opendata import catalog, generate
from gorod.city import selectors as city_selectors
from gorod.city.models import Category, Municipality
from gorod.city.selectors import municipality_for_host, public_municipalities
from gorod.demo.city import SANDBOX_FILE
from gorod.demo.sandbox import sandbox_ensure
from gorod.notifications import outbox
from gorod.notifications.models import Channel, Delivery
from gorod.notifications.tasks import deliver_due
from gorod.reports.models import Report
from gorod.reports.services import NewReport, report_create, report_transition
from tests.helpers import fan_out, login_verified

pytestmark = pytest.mark.django_db
HOST = "sandbox.gorod.example"
JURISDICTION = "sandbox.gorod.invalid"
BANNER = {"ru": "Учебная песочница — здесь всё понарошку.", "en": "Training sandbox — nothing here is real."}


@pytest.fixture
def sandbox(city, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    return sandbox_ensure(reports=4).municipality


@pytest.fixture
def practice(sandbox, frozen_spring):
    """A report filed on the sandbox's site by someone who left an e-mail address."""
    pothole = Category.objects.get(municipality=sandbox, service_code="road-pothole")
    data = NewReport(
        category=pothole,
        lat=58.75,
        lon=29.87,
        address="Учебная улица, 3",
        description="Учебная яма",
        contact_email="trainee@example.org",
    )
    return report_create(municipality=sandbox, data=data)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_public_page_of_the_sandbox_carries_the_banner_and_the_citys_do_not(
    client, sandbox, practice, file_report, language
):
    real = file_report()
    client.cookies["django_language"] = language
    pages = [
        "/",
        "/reports/",
        "/reports/new/",
        "/pb/",
        "/performance/",
        "/data/",
        "/help/",
        "/account/login/",
    ]
    for page in [*pages, f"/reports/{practice.pk}/"]:
        response = client.get(page, HTTP_HOST=HOST)
        assert response.status_code == 200, page
        assert BANNER[language] in response.content.decode(), page
    for page in [*pages, f"/reports/{real.pk}/"]:
        response = client.get(page)
        assert response.status_code == 200, page
        assert "sandbox-banner" not in response.content.decode(), page


def test_back_office_pages_of_training_staff_carry_the_banner_whatever_the_host(sandbox, city, practice):
    trainee = login_verified(Client(), User.objects.get(username="sandbox-moderator"))
    real = login_verified(
        Client(), User.objects.create_user(username="real-moderator", password="x", role="moderator")
    )
    desk = ["/backoffice/", "/backoffice/moderation/", "/backoffice/queue/"]
    for page in [*desk, f"/backoffice/reports/{practice.pk}/"]:
        response = trainee.get(page, follow=True)  # the city's own host: the account decides
        assert response.status_code == 200, page
        assert BANNER["ru"] in response.content.decode(), page
    for page in desk:
        response = real.get(page, follow=True)
        assert response.status_code == 200, page
        assert "sandbox-banner" not in response.content.decode(), page
    # and the city's moderator cannot open the sandbox's report (the back office is per municipality)
    assert real.get(f"/backoffice/reports/{practice.pk}/").status_code == 404


def test_nothing_the_sandbox_mails_reaches_the_mail_backend(sandbox, practice, file_report):
    real = file_report(contact_email="resident@example.org")
    moderator = User.objects.get(username="sandbox-moderator")
    report_transition(report=practice, action="accept", actor=moderator)
    fan_out()
    deliver_due()
    ours = Delivery.objects.filter(municipality=sandbox)
    assert ours.filter(report=practice, channel=Channel.EMAIL).count() >= 2  # the receipt and the acceptance
    assert set(ours.values_list("state", "last_error")) == {(Delivery.State.DROPPED, outbox.SANDBOX_REASON)}
    # the same worker run mailed the real city's resident (asking to confirm the address first), only them
    assert mail.outbox and {tuple(m.to) for m in mail.outbox} == {("resident@example.org",)}
    assert Delivery.objects.get(report=real, kind="author").state == Delivery.State.HELD


def test_a_message_queued_before_its_city_became_a_sandbox_is_dropped_when_its_turn_comes(city, file_report):
    report = file_report(contact_email="resident@example.org")
    fan_out()
    Municipality.objects.filter(pk=city.pk).update(is_sandbox=True)
    city_selectors.invalidate_caches()  # as an import of its city file makes every process do
    deliver_due()
    assert mail.outbox == []
    delivery = Delivery.objects.get(report=report, kind="author")
    assert (delivery.state, delivery.last_error) == (Delivery.State.DROPPED, outbox.SANDBOX_REASON)


def test_open311_does_not_serve_the_sandbox(client, sandbox, practice, file_report, city):
    real = file_report()
    for path in [
        f"/open311/v2/discovery.json?jurisdiction_id={JURISDICTION}",
        f"/open311/v2/services.json?jurisdiction_id={JURISDICTION}",
        f"/open311/v2/services/road-pothole.json?jurisdiction_id={JURISDICTION}",
        f"/open311/v2/requests.json?jurisdiction_id={JURISDICTION}",
        f"/open311/v2/requests/{practice.pk}.json?jurisdiction_id={JURISDICTION}",
        f"/open311/v2/requests.xml?jurisdiction_id={JURISDICTION}",
    ]:
        for host in ("testserver", HOST):
            response = client.get(path, HTTP_HOST=host)
            assert response.status_code == 404, (path, host)
    posted = client.post(
        "/open311/v2/requests.json",
        {"jurisdiction_id": JURISDICTION, "service_code": "road-pothole", "lat": "58.75", "long": "29.87"},
    )
    assert posted.status_code in (403, 404) and Report.objects.filter(municipality=sandbox).count() == 5
    # The city is still the only jurisdiction: no jurisdiction_id is needed, and none of it is the sandbox's.
    listed = json.loads(client.get("/open311/v2/requests.json", HTTP_HOST=HOST).content)
    ids = {int(r["service_request_id"]) for r in listed}
    assert real.pk in ids and not ids & set(
        Report.objects.filter(municipality=sandbox).values_list("pk", flat=True)
    )
    assert client.get(f"/open311/v2/requests/{practice.pk}.json").status_code == 404
    assert {s["service_code"] for s in json.loads(client.get("/open311/v2/services.json").content)} == set(
        Category.objects.filter(municipality=city, active=True).values_list("service_code", flat=True)
    )
    document = client.get("/api/openapi.json", HTTP_HOST=HOST).content.decode()
    assert JURISDICTION not in document
    assert public_municipalities() == [city]


def test_open_data_never_holds_the_sandbox(client, sandbox, practice, city, settings):
    written = generate.generate_all()
    assert list(written) == [city.slug]
    assert not (generate.data_dir() / sandbox.slug).exists()
    with pytest.raises(generate.SandboxHasNoOpenData):
        generate.generate(sandbox)
    catalogue = json.dumps(catalog.catalogue(lambda path: "https://x" + path), ensure_ascii=False)
    assert "sandbox" not in catalogue and "Учебный" not in catalogue
    # Files someone left on disk (say, written before the city became a sandbox) are not served either.
    folder = generate.data_dir() / sandbox.slug
    folder.mkdir(parents=True)
    (folder / "reports.csv").write_text("id\n1\n")
    manifest = {"files": {"reports.csv": {"dataset": "reports", "format": "csv", "rows": 1}}, "generated": ""}
    (folder / generate.MANIFEST).write_text(json.dumps(manifest))
    assert client.get(f"/data/{sandbox.slug}/reports.csv").status_code == 404
    assert client.get(f"/data/{sandbox.slug}/reports.csv", HTTP_HOST=HOST).status_code == 404
    page = client.get("/data/", HTTP_HOST=HOST).content.decode()
    assert "publishes no open data" not in page  # Russian by default
    assert "не публикует открытых данных" in page and f"/data/{sandbox.slug}/" not in page
    assert f"/data/{city.slug}/reports.csv" in client.get("/data/").content.decode()


def test_a_sandbox_is_never_the_default_city(settings, tmp_path, db):
    settings.GOROD_DEFAULT_MUNICIPALITY = ""
    sandbox = sandbox_ensure(reports=0).municipality  # before any real city
    assert municipality_for_host("unknown.example") is None
    assert municipality_for_host(HOST) == sandbox
    from gorod.city.services import city_import_file
    from tests.conftest import DATA

    real = city_import_file(DATA / "test_city.yaml")
    assert municipality_for_host("unknown.example") == real
    assert municipality_for_host("") == real  # commands and the worker
    settings.GOROD_DEFAULT_MUNICIPALITY = sandbox.slug  # named as the default anyway: still not the default
    assert municipality_for_host("unknown.example") is None
    assert municipality_for_host(HOST) == sandbox
    assert SANDBOX_FILE.exists()
