"""Issue 9, item 5: a photo a moderator hid stayed downloadable at its /media/ URL, which Open311 had
already published. Photos the public may not see (hidden, of a rejected or withheld report) now leave
the published media tree (reports.photo_store); staff see them through /backoffice/photos/<id>/."""

from __future__ import annotations

import pytest
from django.test import Client

from gorod.city.models import Municipality
from gorod.reports import photo_store
from gorod.reports.models import Photo
from gorod.reports.services import moderation, report_create, report_transition
from gorod.reports.tasks import check_photos
from tests.conftest import make_jpeg

pytestmark = pytest.mark.django_db


def public_file(photo: Photo, settings):
    return settings.MEDIA_ROOT / photo.image.name


def private_file(photo: Photo, settings):
    return settings.GOROD_PRIVATE_MEDIA_ROOT / photo.image.name


def open311_media(client, report) -> list[str]:
    answer = client.get(f"/open311/v2/requests/{report.pk}.json?extensions=true").json()
    return answer[0]["extended_attributes"]["media_urls"] if answer else []


def test_a_hidden_photo_leaves_the_public_tree_and_comes_back_when_shown(
    staff, file_report, frozen_spring, client, settings, django_capture_on_commit_callbacks
):
    report = file_report(photos=[make_jpeg()])
    photo = report.photos.get()
    url = photo.image.url
    assert client.get(url).status_code == 200
    assert any(url in media for media in open311_media(client, report))

    with django_capture_on_commit_callbacks(execute=True):
        moderation.photo_set_hidden(photo=photo, actor=staff["moderator"], hidden=True)
    assert client.get(url).status_code == 404
    assert not public_file(photo, settings).exists() and private_file(photo, settings).is_file()
    assert open311_media(client, report) == []
    assert url not in client.get(f"/reports/{report.pk}/").text

    with django_capture_on_commit_callbacks(execute=True):
        moderation.photo_set_hidden(photo=photo, actor=staff["moderator"], hidden=False)
    assert client.get(url).status_code == 200
    assert public_file(photo, settings).is_file() and not private_file(photo, settings).exists()
    assert any(url in media for media in open311_media(client, report))


def test_photos_of_a_rejected_report_are_not_served(
    staff, file_report, frozen_spring, client, settings, django_capture_on_commit_callbacks
):
    report = file_report(photos=[make_jpeg()])
    photo = report.photos.get()
    with django_capture_on_commit_callbacks(execute=True):
        report_transition(report=report, action="reject", actor=staff["moderator"], public_note="Не здесь.")
    assert client.get(photo.image.url).status_code == 404
    assert not public_file(photo, settings).exists()
    assert photo.image.url not in client.get(f"/reports/{report.pk}/").text
    assert open311_media(client, report) == []


def test_photos_of_a_withheld_report_start_private_and_go_public_on_acceptance(
    city, staff, new_report, frozen_spring, client, settings, django_capture_on_commit_callbacks
):
    Municipality.objects.filter(pk=city.pk).update(hide_anonymous_until_moderated=True)
    city.refresh_from_db()
    report = report_create(municipality=city, data=new_report(photos=[make_jpeg()]))
    photo = report.photos.get()
    assert photo.private and photo.placed
    assert client.get(photo.image.url).status_code == 404
    assert private_file(photo, settings).is_file()
    with django_capture_on_commit_callbacks(execute=True):
        report_transition(report=report, action="accept", actor=staff["moderator"])
    assert client.get(photo.image.url).status_code == 200


def test_a_crash_between_commit_and_move_is_settled_by_the_worker(
    staff, file_report, frozen_spring, client, settings, django_capture_on_commit_callbacks
):
    report = file_report(photos=[make_jpeg()])
    photo = report.photos.get()
    # The process dies after the commit, before its on-commit move: the callbacks never run.
    with django_capture_on_commit_callbacks(execute=False):
        moderation.photo_set_hidden(photo=photo, actor=staff["moderator"], hidden=True)
    photo = Photo.objects.get(pk=photo.pk)
    assert photo.private and not photo.placed
    assert public_file(photo, settings).is_file()  # still in the wrong tree ...
    assert photo.image.url not in client.get(f"/reports/{report.pk}/").text  # ... but never named
    assert photo_store.settle() == 1
    assert client.get(photo.image.url).status_code == 404
    assert private_file(photo, settings).is_file()
    photo = Photo.objects.get(pk=photo.pk)
    assert photo.placed
    assert photo_store.settle() == 0  # re-running finds nothing to do


def test_the_daily_check_puts_files_right_after_a_city_setting_changes(
    city, new_report, frozen_spring, client, settings
):
    report = report_create(municipality=city, data=new_report(photos=[make_jpeg()]))
    photo = report.photos.get()
    assert not photo.private and report.author_id is None
    Municipality.objects.filter(pk=city.pk).update(hide_anonymous_until_moderated=True)
    assert check_photos.call() == 1
    assert client.get(photo.image.url).status_code == 404 and private_file(photo, settings).is_file()
    assert check_photos.call() == 0


# --- staff see every photo through the back office ------------------------------------------------------
def test_staff_who_may_see_the_report_see_its_hidden_photo(
    staff, client_for, file_report, frozen_spring, django_capture_on_commit_callbacks
):
    report = file_report(photos=[make_jpeg()])
    photo = report.photos.get()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.photo_set_hidden(photo=photo, actor=staff["moderator"], hidden=True)
    url = f"/backoffice/photos/{photo.pk}/"
    answer = client_for("moderator").get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    assert b"".join(answer.streaming_content)[:2] == b"\xff\xd8"
    assert "no-store" in answer["Cache-Control"]
    assert report.department.slug == "roads"
    assert client_for("executor").get(url).status_code == 200
    assert client_for("other_executor").get(url).status_code == 404  # another department's report
    assert client_for("citizen").get(url).status_code in (403, 404)
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert client_for("moderator").get("/backoffice/photos/999999/").status_code == 404
    page = client_for("moderator").get(f"/backoffice/reports/{report.pk}/").content.decode()
    assert url in page and photo.image.url not in page


def test_behind_nginx_the_staff_view_answers_with_x_accel_redirect(
    staff, client_for, file_report, frozen_spring, settings, django_capture_on_commit_callbacks
):
    settings.GOROD_PRIVATE_MEDIA_ACCEL = "/_private-media/"
    report = file_report(photos=[make_jpeg(), make_jpeg(color=(0, 200, 0))])
    hidden, shown = report.photos.order_by("id")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.photo_set_hidden(photo=hidden, actor=staff["moderator"], hidden=True)
    answer = client_for("moderator").get(f"/backoffice/photos/{hidden.pk}/")
    assert answer.status_code == 200 and answer["X-Accel-Redirect"] == f"/_private-media/{hidden.image.name}"
    assert answer.content == b""
    answer = client_for("moderator").get(f"/backoffice/photos/{shown.pk}/")
    assert answer["X-Accel-Redirect"] == f"/media/{shown.image.name}"


def test_a_rolled_back_hide_leaves_the_file_where_it_was(
    staff, file_report, frozen_spring, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from gorod.reports.services import moderation as module

    report = file_report(photos=[make_jpeg()])
    photo = report.photos.get()

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(module, "_unchanged_status", broken)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        moderation.photo_set_hidden(photo=photo, actor=staff["moderator"], hidden=True)
    photo = Photo.objects.get(pk=photo.pk)
    assert not photo.hidden and not photo.private and photo.placed
    assert public_file(photo, settings).is_file()
