"""Issue 9, item 14: a client retrying a POST after a lost answer filed the report twice (7 duplicates in
1,000 POSTs while the server was killed 16 times). With an Idempotency-Key (header or form field) the
retry gets the first answer again and nothing is filed twice."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from gorod.core import clock
from gorod.open311.models import IdempotentPost
from gorod.open311.tasks import purge_idempotency_keys
from gorod.reports.models import Photo, Report
from tests.conftest import make_jpeg
from tests.helpers import wait_for
from tests.open311.conftest import BASE, errors_of

pytestmark = pytest.mark.django_db
KEY = "5f0c6a1e-7d2b-4c3e-9a51-0d8f2b6c4e17"


def post(client, fields, *, key: str | None = KEY, fmt: str = "json"):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(f"{BASE}requests.{fmt}", fields, headers=headers)


def test_a_retry_with_the_same_key_gets_the_first_answer_and_files_nothing(client, frozen_spring, form):
    first = post(client, form())
    assert first.status_code == 200, first.content
    again = post(client, form())
    assert (again.status_code, again.content) == (200, first.content)
    assert again["Content-Type"] == first["Content-Type"] and again["Idempotent-Replayed"] == "true"
    (item,) = json.loads(again.content)
    assert Report.objects.count() == 1 and Report.objects.get().pk == item["service_request_id"]
    assert "Idempotent-Replayed" not in first


def test_the_same_key_on_another_request_is_refused(client, frozen_spring, form):
    assert post(client, form()).status_code == 200
    other = post(client, form(description="Другая яма"))
    assert other.status_code == 422
    (message,) = errors_of(other)
    assert message.startswith("idempotency_key: ")
    assert Report.objects.count() == 1


def test_the_key_may_come_as_a_form_field(client, frozen_spring, form):
    first = post(client, form(idempotency_key=KEY), key=None)
    again = post(client, form(idempotency_key=KEY), key=None)
    assert first.status_code == again.status_code == 200 and first.content == again.content
    assert Report.objects.count() == 1
    # The header and the field name the same key: the same request, answered again.
    assert post(client, form()).content == first.content
    conflicting = post(client, form(idempotency_key="other-key"))
    assert conflicting.status_code == 400 and Report.objects.count() == 1


def test_without_a_key_each_post_files_a_report(client, frozen_spring, form):
    post(client, form(), key=None)
    post(client, form(), key=None)
    assert Report.objects.count() == 2 and not IdempotentPost.objects.exists()


def test_keys_are_scoped_per_api_key(client, frozen_spring, form):
    from gorod.open311.services import api_key_create

    _, other_key = api_key_create(name="Another client")
    a = json.loads(post(client, form()).content)[0]["service_request_id"]
    b = json.loads(post(client, form(api_key=other_key)).content)[0]["service_request_id"]
    assert a != b and Report.objects.count() == 2


@pytest.mark.parametrize("bad", ["x" * 256, "key\twith-tab", "", "ключ"])
def test_malformed_keys_are_refused_clearly(client, frozen_spring, form, bad):
    answer = post(client, form(idempotency_key=bad), key=None)
    assert answer.status_code == 400
    assert "idempotency_key" in errors_of(answer)[0]
    assert not Report.objects.exists()


def test_a_key_of_255_printable_characters_is_accepted(client, frozen_spring, form):
    assert post(client, form(), key="k" * 255).status_code == 200


def test_a_refused_request_is_not_kept_and_may_be_corrected(client, frozen_spring, form):
    refused = post(client, form(service_code="nope"))
    assert refused.status_code == 404 and not IdempotentPost.objects.exists()
    assert post(client, form()).status_code == 200
    assert Report.objects.count() == 1


def test_the_photos_are_part_of_the_request(client, frozen_spring, form):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def with_photo(color):
        return form(media=SimpleUploadedFile("p.jpg", make_jpeg(color=color), content_type="image/jpeg"))

    first = post(client, with_photo((200, 0, 0)))
    assert first.status_code == 200
    assert post(client, with_photo((200, 0, 0))).content == first.content
    assert post(client, with_photo((0, 0, 200))).status_code == 422
    assert Report.objects.count() == 1 and Photo.objects.count() == 1


def test_after_24_hours_the_key_is_free_and_old_records_are_purged(client, form):
    start = dt.datetime(2026, 5, 13, 7, 0, tzinfo=dt.UTC)
    with clock.frozen(start):
        first = post(client, form())
    with clock.frozen(start + dt.timedelta(hours=23)):
        assert post(client, form()).content == first.content
        assert purge_idempotency_keys.call() == 0
    with clock.frozen(start + dt.timedelta(hours=24, minutes=1)):
        assert purge_idempotency_keys.call() == 1
        assert not IdempotentPost.objects.exists()
        second = post(client, form(description="Новая яма"))
    assert second.status_code == 200 and Report.objects.count() == 2


def test_the_purge_job_is_on_the_timetable(settings):
    assert ("gorod.open311.tasks.purge_idempotency_keys", 3600) in settings.GOROD_PERIODIC_JOBS


def test_the_openapi_document_names_the_header(client):
    schema = client.get("/api/openapi.json").json()
    operations = [op for path, ops in schema["paths"].items() if "requests" in path for op in ops.values()]
    (create,) = [op for op in operations if op.get("summary", "").startswith("Create")]
    (header,) = [p for p in create["parameters"] if p["in"] == "header"]
    assert header["name"] == "Idempotency-Key" and header["required"] is False
    assert header["schema"]["maxLength"] == 255


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_file_once(form, request):
    n = 6
    fields = form()
    request.getfixturevalue("real_database")
    barrier = threading.Barrier(n)
    answers: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            answers[i] = post(Client(), fields)
        except Exception as exc:
            answers[i] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    wait_for(
        lambda: not any(t.is_alive() for t in threads),
        progress=lambda: sum(a is not None for a in answers),
        what="the parallel POSTs",
    )
    assert all(getattr(a, "status_code", None) == 200 for a in answers), answers
    assert len({a.content for a in answers}) == 1
    assert Report.objects.count() == 1 and IdempotentPost.objects.count() == 1
