"""Residents' stories: submission through the real form and service, hostile Markdown, photos through
the photo pipeline, moderation (publish, hide with a reason, photos), who sees what, rate limits."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from PIL import Image

from gorod.accounts.models import User
from gorod.city.models import RejectionReason
from gorod.core.models import AuditEntry
from gorod.info.stories import photos as photo_files
from gorod.info.stories.errors import StoryConflict, StoryInvalid
from gorod.info.stories.markdown import render_story
from gorod.info.stories.models import Story, StoryPhoto
from gorod.info.stories.services import (
    NewStory,
    story_hide,
    story_photo_set_hidden,
    story_publish,
    story_submit,
)
from tests.conftest import make_jpeg
from tests.helpers import login_verified, post_past_the_limit

pytestmark = pytest.mark.django_db

HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> [link](javascript:alert(3)) "
    '<a href="https://evil.example" onclick="x()">a</a> **bold**'
)


@pytest.fixture
def resident(db):
    return User.objects.create_user(username="masha", password="x-pass-12345", role=User.Role.CITIZEN)


@pytest.fixture
def moderator(city):
    return User.objects.create_user(username="mod", password="x", role=User.Role.MODERATOR)


@pytest.fixture
def north(city):
    return city.districts.get(slug="north")


@pytest.fixture
def reason(city):
    return RejectionReason.objects.get(municipality=city, code="abusive")


@pytest.fixture
def submit(city, resident, north):
    def make(**kw):
        data = NewStory(
            district=kw.pop("district", north),
            title=kw.pop("title", "Новая площадка"),
            body=kw.pop("body", "Во дворе открыли *площадку*."),
            signature=kw.pop("signature", "Маша"),
            photos=kw.pop("photos", ()),
        )
        return story_submit(municipality=city, author=kw.pop("author", resident), data=data)

    return make


def test_markdown_is_sanitized():
    html = render_story(HOSTILE)
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html
    assert not re.search(r"<[^>]*\son\w+=", html)  # no event handler inside any tag
    assert "&lt;script&gt;" in html  # raw HTML arrives as text
    assert "<strong>bold</strong>" in html


def test_markdown_links_are_marked_as_users():
    html = render_story("[site](https://example.org)")
    assert 'href="https://example.org"' in html and "nofollow" in html


def test_submitted_story_waits_with_reencoded_photos(submit):
    story = submit(photos=[make_jpeg(exif_gps=True), make_jpeg(size=(4000, 3000), fmt="PNG")])
    assert story.status == Story.Status.PENDING
    photos = list(story.photos.all())
    assert len(photos) == 2
    for photo in photos:
        path = photo_files.path_of(photo.name)
        assert path.is_file() and photo.name.startswith("stories/")
        with Image.open(path) as image:
            assert image.format == "JPEG" and not image.getexif()
            assert (image.width, image.height) == (photo.width, photo.height)


def test_a_refused_photo_refuses_the_story_and_leaves_nothing(submit, settings):
    with pytest.raises(StoryInvalid) as caught:
        submit(photos=[make_jpeg(), b"not an image"])
    assert "photos" in caught.value.message_dict
    assert not Story.objects.exists() and not StoryPhoto.objects.exists()
    root = settings.GOROD_PRIVATE_MEDIA_ROOT / "stories"
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", ""), ("title", "x" * 201), ("body", "  "), ("body", "a\x00b"), ("signature", "")],
)
def test_bad_text_is_refused(submit, field, value):
    with pytest.raises(StoryInvalid) as caught:
        submit(**{field: value})
    assert field in caught.value.message_dict
    assert not Story.objects.exists()


def test_another_citys_district_is_refused(submit):
    with pytest.raises(StoryInvalid) as caught:
        submit(district=None)
    assert "district" in caught.value.message_dict


def test_visitors_cannot_submit(city, north):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        story_submit(
            municipality=city,
            author=AnonymousUser(),
            data=NewStory(district=north, title="t", body="b", signature="s"),
        )


def test_publish_and_hide_keep_the_story_and_audit(submit, moderator, reason):
    story = submit()
    story_publish(story=story, actor=moderator)
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED and story.published_at
    with pytest.raises(StoryConflict):
        story_publish(story=story, actor=moderator)
    story_hide(story=story, actor=moderator, reason=reason, note="Оскорбления в адрес соседей")
    story.refresh_from_db()
    assert story.status == Story.Status.HIDDEN and story.hide_reason == reason
    assert list(
        AuditEntry.objects.filter(object_type="story").values_list("action", flat=True).order_by("seq")
    ) == [
        "story.publish",
        "story.hide",
    ]


def test_hiding_needs_a_reason_of_the_city(submit, moderator):
    story = submit()
    with pytest.raises(StoryInvalid):
        story_hide(story=story, actor=moderator, reason=None)
    story.refresh_from_db()
    assert story.status == Story.Status.PENDING


@pytest.mark.parametrize("role", [User.Role.CITIZEN, User.Role.AUDITOR, User.Role.EXECUTOR, User.Role.EXPERT])
def test_only_moderators_and_admins_moderate(submit, reason, role):
    story = submit()
    actor = User.objects.create_user(username=f"u-{role}", password="x", role=role)
    with pytest.raises(PermissionDenied):
        story_publish(story=story, actor=actor)
    with pytest.raises(PermissionDenied):
        story_hide(story=story, actor=actor, reason=reason)
    story.refresh_from_db()
    assert story.status == Story.Status.PENDING


# --- pages ---------------------------------------------------------------------------------------
def test_resident_submits_through_the_form(client, resident, north):
    client.force_login(resident)
    answer = client.post(
        "/news/stories/new/",
        {
            "district": north.pk,
            "title": "Субботник",
            "body": HOSTILE,
            "signature": "Маша",
            "photos": [io.BytesIO(make_jpeg())],
        },
    )
    story = Story.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/news/stories/{story.pk}/"
    assert story.photos.count() == 1
    page = client.get(f"/news/stories/{story.pk}/").content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page and 'href="javascript' not in page


def test_form_needs_an_account(client):
    answer = client.get("/news/stories/new/")
    assert answer.status_code == 302 and "/account/" in answer["Location"]


def test_form_errors_are_shown_not_500(client, city, resident):
    client.force_login(resident)
    answer = client.post(
        "/news/stories/new/", {"district": "999999", "title": "", "body": "", "signature": ""}
    )
    assert answer.status_code == 400
    assert not Story.objects.exists()
    answer = client.post(
        "/news/stories/new/",
        {
            "district": "x",
            "title": "t",
            "body": "b",
            "signature": "s",
            "photos": [io.BytesIO(b"GIF89a broken")],
        },
    )
    assert answer.status_code == 400


def test_who_sees_what(client, submit, resident, moderator, reason, north):
    story = submit(photos=[make_jpeg()])
    photo = story.photos.get()
    stranger = User.objects.create_user(username="other", password="x")
    # Pending: the author only (and the desk); lists show nothing.
    assert client.get(f"/news/stories/{story.pk}/").status_code == 404
    assert client.get(f"/news/stories/photos/{photo.pk}.jpg").status_code == 404
    client.force_login(stranger)
    assert client.get(f"/news/stories/{story.pk}/").status_code == 404
    client.force_login(resident)
    assert client.get(f"/news/stories/{story.pk}/").status_code == 200
    assert client.get(f"/news/stories/photos/{photo.pk}.jpg").status_code == 200
    client.logout()
    assert "Новая площадка" not in client.get(f"/news/stories/districts/{north.slug}/").content.decode()

    story_publish(story=story, actor=moderator)
    district_page = client.get(f"/news/stories/districts/{north.slug}/").content.decode()
    assert "Новая площадка" in district_page
    answer = client.get(f"/news/stories/photos/{photo.pk}.jpg")
    assert answer.status_code == 200 and "public" in answer["Cache-Control"]
    author_page = client.get(f"/news/stories/authors/{story.author_key}/")
    assert author_page.status_code == 200 and "Новая площадка" in author_page.content.decode()
    assert len(story.author_key) == 24 and story.author_key != str(resident.pk)

    story_photo_set_hidden(photo=photo, actor=moderator, hidden=True)
    assert client.get(f"/news/stories/photos/{photo.pk}.jpg").status_code == 404

    story_hide(story=story, actor=moderator, reason=reason, note="Пояснение модератора")
    page = client.get(f"/news/stories/{story.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and reason.name in text and "Пояснение модератора" in text
    assert "площадку" not in text  # the text is not shown, the reason is, in its place
    assert "Новая площадка" not in client.get(f"/news/stories/districts/{north.slug}/").content.decode()
    assert client.get(f"/news/stories/authors/{story.author_key}/").status_code == 404


@pytest.mark.parametrize("key", ["0", "zz" * 12, "../../etc", "a" * 300])
def test_bad_author_keys_are_404(client, city, key):
    assert client.get(f"/news/stories/authors/{key}/").status_code == 404


def test_story_rate_limit(client, city, resident, write_limits):
    client.force_login(resident)
    post_past_the_limit(client, "/news/stories/new/", "story", {"title": "x"})


# --- the back-office desk ---------------------------------------------------------------------------
def test_moderator_uses_the_desk(client, submit, moderator, reason):
    story = submit()
    login_verified(client, moderator)
    queue = client.get("/backoffice/stories/")
    assert queue.status_code == 200 and "Новая площадка" in queue.content.decode()
    bad = client.post(f"/backoffice/stories/{story.pk}/hide/", {"reason": "", "note": "x"})
    assert bad.status_code == 400
    answer = client.post(f"/backoffice/stories/{story.pk}/hide/", {"reason": reason.pk, "note": "x"})
    assert answer.status_code == 302
    story.refresh_from_db()
    assert story.status == Story.Status.HIDDEN
    assert client.post(f"/backoffice/stories/{story.pk}/publish/").status_code == 302
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED
    assert client.post(f"/backoffice/stories/{story.pk}/delete/").status_code == 404


def test_auditor_reads_the_desk_but_cannot_act(client, submit):
    story = submit()
    auditor = User.objects.create_user(username="aud", password="x", role=User.Role.AUDITOR)
    login_verified(client, auditor)
    assert client.get("/backoffice/stories/").status_code == 200
    page = client.get(f"/backoffice/stories/{story.pk}/")
    assert page.status_code == 200 and "Hide with this reason" not in page.content.decode()
    assert client.post(f"/backoffice/stories/{story.pk}/publish/").status_code == 403
    story.refresh_from_db()
    assert story.status == Story.Status.PENDING


def test_residents_and_executors_are_kept_out_of_the_desk(client, submit, resident):
    story = submit()
    client.force_login(resident)
    assert client.get("/backoffice/stories/").status_code == 403
    executor = User.objects.create_user(username="ex", password="x", role=User.Role.EXECUTOR)
    login_verified(client, executor)
    assert client.get(f"/backoffice/stories/{story.pk}/").status_code == 403


def test_account_page_lists_the_authors_stories_with_their_state(client, submit, resident):
    story = submit()
    client.force_login(resident)
    page = client.get("/account/").content.decode()
    assert f"/news/stories/{story.pk}/" in page and "Новая площадка" in page


def test_too_many_photos_are_refused_with_a_message(client, city, resident, north, settings):
    client.force_login(resident)
    files = [io.BytesIO(make_jpeg()) for _ in range(settings.GOROD_MAX_PHOTOS + 1)]
    answer = client.post(
        "/news/stories/new/",
        {"district": north.pk, "title": "t", "body": "b", "signature": "s", "photos": files},
    )
    assert answer.status_code == 400 and not Story.objects.exists()
    assert str(settings.GOROD_MAX_PHOTOS) in answer.content.decode()


@pytest.mark.parametrize("url", ["/news/stories/", "/news/stories/districts/north/", "author"])
def test_story_lists_have_a_fixed_number_of_queries(client, submit, moderator, url):
    from tests.query_counts import ROWS, count_queries, get

    first = submit(photos=[make_jpeg()])
    if url == "author":
        url = f"/news/stories/authors/{first.author_key}/"
    counts = []
    for n in ROWS:
        while Story.objects.filter(status=Story.Status.PUBLISHED).count() < n:
            story = first if not first.is_published else submit(photos=[make_jpeg()])
            story_publish(story=story, actor=moderator)
            first.refresh_from_db()
        counts.append(count_queries(get(client, url)))
    assert counts[0] == counts[1], counts
