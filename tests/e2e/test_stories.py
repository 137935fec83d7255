"""A resident writes a story with a photo in the browser; a moderator publishes it from the back office;
the story's pages have no serious accessibility violations in Russian and English."""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.accounts.models import User
from gorod.info.stories.models import Story
from tests.conftest import make_jpeg
from tests.e2e.conftest import screenshot
from tests.e2e.staff import signed_in_page, staff_user

pytestmark = pytest.mark.django_db(transaction=True)


def _serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_resident_story_is_moderated_and_published(browser, live_server, city, tmp_path):
    resident = User.objects.create_user(username="masha", password="x-pass-12345", role=User.Role.CITIZEN)
    photo = tmp_path / "yard.jpg"
    photo.write_bytes(make_jpeg(exif_gps=True))
    context, page = signed_in_page(browser, live_server, resident, width=390)
    page.goto("/news/stories/new/")
    page.get_by_label("Район").select_option(label="Северный")
    page.get_by_label("Название").fill("Новая площадка <script>alert(1)</script>")
    page.get_by_label("История").fill("Во дворе **открыли** площадку. <img src=x onerror=alert(1)>")
    page.get_by_label("Подпись").fill("Маша")
    page.set_input_files("#id_photos", str(photo))
    screenshot(page, "story-form-390")
    page.get_by_role("button", name="Отправить на модерацию").click()
    page.get_by_text("ожидает модерации").first.wait_for()
    assert page.locator(".story-body strong").inner_text() == "открыли"
    assert page.locator(".story-body img").count() == 0
    context.close()
    story = Story.objects.get()
    assert story.status == Story.Status.PENDING and story.photos.count() == 1

    moderator = staff_user("moder", User.Role.MODERATOR)
    context, page = signed_in_page(browser, live_server, moderator)
    page.goto("/backoffice/stories/")
    page.get_by_role("link", name=story.title).click()
    screenshot(page, "story-desk-1280")
    page.get_by_role("button", name="Опубликовать").click()
    page.get_by_text("История опубликована").wait_for()
    context.close()
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED


@pytest.mark.parametrize("language", ["ru", "en"])
def test_story_pages_have_no_serious_accessibility_violations(page, city, language):
    from gorod.info.stories.services import NewStory, story_publish, story_submit

    author = User.objects.create_user(username="masha", password="x", role=User.Role.CITIZEN)
    moderator = User.objects.create_user(username="mod", password="x", role=User.Role.MODERATOR)
    north = city.districts.get(slug="north")
    story = story_submit(
        municipality=city,
        author=author,
        data=NewStory(
            district=north, title="Субботник", body="Текст *истории*", signature="Маша", photos=[make_jpeg()]
        ),
    )
    story_publish(story=story, actor=moderator)
    if language == "en":
        page.goto("/")
        page.locator(
            "form[action*='setlang'] button[value='en'], form[action*='setlang'] [type=submit]"
        ).first.click()
    axe = Axe()
    for url in (
        "/news/stories/",
        f"/news/stories/districts/{north.slug}/",
        f"/news/stories/authors/{story.author_key}/",
        f"/news/stories/{story.pk}/",
    ):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language
        assert _serious(axe.run(page)) == [], url
        screenshot(page, f"story-{language}-{url.strip('/').replace('/', '-')}")


def test_desk_and_experts_pages_have_no_serious_accessibility_violations(browser, live_server, city):
    from gorod.accounts import invitations
    from gorod.budgeting.services import process_create
    from gorod.info.stories.services import NewStory, story_submit
    from tests.budgeting.conftest import phase_plan

    author = User.objects.create_user(username="masha", password="x", role=User.Role.CITIZEN)
    story = story_submit(
        municipality=city,
        author=author,
        data=NewStory(
            district=city.districts.get(slug="north"),
            title="Субботник",
            body="Текст",
            signature="Маша",
            photos=[make_jpeg()],
        ),
    )
    admin = staff_user("boss", User.Role.CITY_ADMIN)
    process = process_create(
        municipality=city,
        slug="pb",
        title="Твой бюджет",
        budgets=[(None, 1000)],
        phase_list=phase_plan("review"),
    )
    expert = User.objects.create_user(username="lev", password="x", role=User.Role.EXPERT)
    from gorod.core import clock

    invitations.invite(
        actor=admin, expert=expert, target=process, valid_until=clock.now() + dt.timedelta(days=30)
    )
    axe = Axe()
    for width in (1280, 390):
        context, page = signed_in_page(browser, live_server, admin, width=width)
        for url in ("/backoffice/stories/", f"/backoffice/stories/{story.pk}/", "/backoffice/experts/"):
            page.goto(url)
            page.wait_for_load_state("networkidle")
            assert _serious(axe.run(page)) == [], url
            screenshot(page, f"desk-{width}-{url.strip('/').replace('/', '-')}")
        context.close()
