"""Stories and area subscriptions (the info app) are in the person's export and leave with the account,
though privacy may not import info (they meet through settings.GOROD_PERSONAL_DATA)."""

from __future__ import annotations

import pytest

from gorod.core.models import AuditEntry
from gorod.info.news.models import AreaSubscription
from gorod.info.news.services import subscription_create
from gorod.info.stories import photos as story_photos
from gorod.info.stories.models import Story, StoryPhoto
from gorod.info.stories.services import NewStory, story_submit
from gorod.privacy.selectors import account_export
from gorod.privacy.services import account_erase
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def annas_things(city, citizen, jpeg_bytes, settings, tmp_path):
    settings.GOROD_PRIVATE_MEDIA_ROOT = str(tmp_path)
    north = city.districts.get(slug="north")
    story = story_submit(
        municipality=city,
        author=citizen,
        data=NewStory(
            district=north, title="Наш двор", body="Посадили липы.", signature="Аня", photos=[jpeg_bytes]
        ),
    )
    subscription_create(municipality=city, email=citizen.email_address, language="ru", district=north)
    subscription_create(municipality=city, email="someone.else@example.org", language="ru", district=north)
    return story


def test_the_export_holds_the_persons_stories_and_area_subscriptions(citizen, annas_things):
    data = account_export(citizen).data
    assert [(s["title"], s["signature"], s["photos"]) for s in data["stories"]] == [("Наш двор", "Аня", 1)]
    assert [(a["district"], a["active"]) for a in data["area_subscriptions"]] == [("north", True)]


def test_erasure_deletes_the_persons_stories_photos_and_subscriptions_only(
    citizen, annas_things, django_capture_on_commit_callbacks
):
    photo_path = story_photos.path_of(StoryPhoto.objects.get().name)
    assert photo_path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=citizen, password=PASSWORD)
    assert not Story.objects.exists() and not StoryPhoto.objects.exists()
    assert not photo_path.exists()
    assert AreaSubscription.objects.count() == 1  # someone else's stays
    detail = AuditEntry.objects.get(action="account.erase").detail
    assert (detail["stories"], detail["area_subscriptions"]) == (1, 1)
