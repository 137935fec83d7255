"""axe-core on the pages a citizen uses most: no serious or critical violations, in both languages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.reports.services import NewReport, report_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def report(city, categories):
    return report_create(
        municipality=city,
        data=NewReport(
            category=categories["litter"],
            lat=59.9,
            lon=30.3,
            description='Мусор "><img src=x onerror=alert(1)>',
            contact_name="Пётр",
            show_name=True,
        ),
    )


def _serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_main_pages_have_no_serious_accessibility_violations(page, report, language):
    if language == "en":
        page.goto("/")
        page.locator(
            "form[action*='setlang'] button[value='en'], form[action*='setlang'] [type=submit]"
        ).first.click()
    axe = Axe()
    for url in ("/", "/reports/", "/reports/new/", f"/reports/{report.pk}/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language
        assert _serious(axe.run(page)) == [], url


@pytest.mark.parametrize("language", ["ru", "en"])
def test_news_pages_have_no_serious_accessibility_violations(page, city, language):
    import datetime as dt

    from gorod.accounts.models import User
    from gorod.core import clock
    from gorod.info.news import services

    admin = User.objects.create_user(username="news-axe", password="x", role=User.Role.CITY_ADMIN)
    item = services.news_create(
        municipality=city,
        author=admin,
        data=services.NewsData(
            title="Новость <b>района</b>",
            body="**Текст** и [ссылка](https://example.org)",
            tags=["ЖКХ"],
            district=city.districts.get(slug="north"),
            published_at=clock.now() - dt.timedelta(hours=1),
        ),
    )
    work = services.work_create(
        municipality=city,
        author=admin,
        data=services.WorkData(
            kind="hot_water",
            title="Нет горячей воды",
            geometry={"type": "Point", "coordinates": [30.3, 60.0]},
            starts_on=clock.today(),
            ends_on=clock.today() + dt.timedelta(days=10),
            published_at=clock.now() - dt.timedelta(hours=1),
        ),
    )
    if language == "en":
        page.goto("/news/")
        page.locator("form[action*='setlang'] button[value='en']").first.click()
    axe = Axe()
    for url in ("/news/", f"/news/{item.pk}/", "/news/works/", f"/news/works/{work.pk}/", "/news/subscribe/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language
        assert _serious(axe.run(page)) == [], url


@pytest.fixture
def every_module_kind(city):
    """A published project whose open phase holds one module of every ready kind, each with something in
    it (a pin, an answered question, a survey of every question kind with a response, an idea with a
    comment, a commented draft), so axe sees the pages as residents do."""
    import datetime as dt

    from gorod.accounts.models import User
    from gorod.consultations import services
    from gorod.consultations.ideas.services import idea_comment, idea_post
    from gorod.consultations.map_feedback import services as map_services
    from gorod.consultations.questions.services import answer_post, question_ask
    from gorod.consultations.surveys.services import response_submit
    from gorod.consultations.text_review.services import draft_set, paragraph_comment
    from gorod.core import clock
    from tests.consultations.conftest import PARK
    from tests.consultations.survey_helpers import answers, make_survey

    admin = User.objects.create_user(username="axe-admin", password="x", role=User.Role.CITY_ADMIN)
    official = User.objects.create_user(username="axe-official", password="x", role=User.Role.EXECUTOR)
    voice = User.objects.create_user(username="axe-voice", password="x", role=User.Role.CITIZEN)
    now = clock.now()
    project = services.project_create(
        municipality=city,
        slug="park",
        title="Новый облик парка",
        summary="Город спрашивает, каким должен стать парк.",
        district=city.districts.get(slug="north"),
        topic="parks",
        area=PARK,
        published=True,
        phase_list=[
            services.NewPhase(
                title="Сбор идей", starts=now - dt.timedelta(days=3), ends=now + dt.timedelta(days=20)
            )
        ],
    )
    phase = project.phase_list()[0]
    services.module_add(
        phase=phase, kind="information", title="Как участвовать", description="Идеи — до конца месяца."
    )
    pins = services.module_add(phase=phase, kind="map_feedback", title="Карта парка")
    map_services.contribution_add(
        module=pins,
        user=voice,
        sentiment=2,
        geometry={"type": "Point", "coordinates": [30.26, 59.985]},
        comment="Темно",
    )
    qa = services.module_add(phase=phase, kind="questions", title="Вопросы")
    question = question_ask(module=qa, user=voice, text="Сохранят ли старые липы?")
    answer_post(question=question, user=official, text="Да, все здоровые деревья остаются.")
    survey, q = make_survey(phase, admin)
    response_submit(module=survey, user=voice, answers=answers(q, point=("59.985", "30.26")))
    wall = services.module_add(phase=phase, kind="idea_wall", title="Идеи")
    idea_comment(
        idea=idea_post(module=wall, user=voice, title="Площадка для собак"),
        user=official,
        text="Посмотрим место.",
    )
    draft = services.module_add(phase=phase, kind="text_review", title="Правила парка")
    paragraphs = draft_set(module=draft, actor=admin, text="## Правила\n\nПарк открыт круглосуточно.")
    paragraph_comment(paragraph=paragraphs[1], user=voice, text="А освещение ночью?")
    # Issue 12's kinds, empty here: their own tests (tests/e2e/test_room.py, test_model_3d.py,
    # test_opinion_groups.py) run axe on them full.
    services.module_add(phase=phase, kind="room", title="План парка")
    services.module_add(phase=phase, kind="model_3d", title="Модель павильона")
    services.module_add(phase=phase, kind="opinion_groups", title="Что важно в парке")
    return project, {m.kind: m for m in phase.modules.all()}


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_consultation_module_page_has_no_serious_accessibility_violations(
    browser, live_server, every_module_kind, language
):
    """/projects/, a project page (where `information` modules are shown) and the page of every other ready
    module kind, as a signed-in resident who has not taken part yet (so every form shows)."""
    from gorod.consultations import modules
    from tests.e2e.staff import signed_in_page, staff_user

    project, by_kind = every_module_kind
    assert set(by_kind) == {k.key for k in modules.REGISTRY.values() if k.ready}, (
        "a ready kind is not checked"
    )
    base = f"/projects/{project.slug}"
    pages = {
        "list": ("/projects/", "#projects-map[data-drawn='1']"),
        "information": (f"{base}/", "#area-map[data-drawn='1']"),
        "map_feedback": (f"{base}/map/{by_kind['map_feedback'].pk}/", "#mf-map[data-drawn='1']"),
        "questions": (f"{base}/questions/{by_kind['questions'].pk}/", "form"),
        "survey": (f"{base}/survey/{by_kind['survey'].pk}/", "form"),
        "survey results": (f"{base}/survey/{by_kind['survey'].pk}/results/", "svg"),
        "idea_wall": (f"{base}/ideas/{by_kind['idea_wall'].pk}/", "form"),
        "text_review": (f"{base}/draft/{by_kind['text_review'].pk}/", "form"),
        "room": (f"{base}/room/{by_kind['room'].pk}/", "h1"),
        "model_3d": (f"{base}/model/{by_kind['model_3d'].pk}/", "h1"),
        "opinion_groups": (f"{base}/opinions/{by_kind['opinion_groups'].pk}/", "form"),
    }
    context, page = signed_in_page(browser, live_server, staff_user(f"resident-{language}", "citizen"))
    try:
        if language == "en":
            page.goto("/")
            page.locator("form[action*='setlang'] button[value='en']").first.click()
        axe = Axe()
        for name, (url, ready) in pages.items():
            page.goto(url)
            page.locator(ready).first.wait_for()
            page.wait_for_load_state("networkidle")
            assert page.locator("html").get_attribute("lang") == language
            assert _serious(axe.run(page)) == [], name
    finally:
        context.close()
