"""The survey and draft pages over HTTP: answer and see the results, refusals shown on the page with
nothing saved, hostile text as text, the CSV for staff only, the rate limit, pinned query counts, and the
demand funnel's "survey started → finished"."""

from __future__ import annotations

import itertools

import pytest

from gorod.accounts.models import User
from gorod.consultations.services import module_add
from gorod.consultations.surveys.models import SurveyResponse
from gorod.consultations.surveys.services import response_submit
from gorod.consultations.text_review.models import ParagraphComment
from gorod.consultations.text_review.services import draft_set, paragraph_comment
from tests.consultations.survey_helpers import answers, make_survey
from tests.query_counts import assert_pinned, get, growing

pytestmark = pytest.mark.usefixtures("english")
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'
counter = itertools.count()


@pytest.fixture(autouse=True)
def in_english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def survey(make_project, admin_user):
    phase = make_project(state="open", slug="park").phase_list()[0]
    return make_survey(phase, admin_user)


@pytest.fixture
def draft(make_project, admin_user):
    phase = make_project(state="open", slug="rules").phase_list()[0]
    module = module_add(phase=phase, kind="text_review", title="Park rules")
    draft_set(module=module, actor=admin_user, text=f"First paragraph.\n\nSecond {HOSTILE}")
    return module


def url(module, tail=""):
    return f"/projects/{module.phase.project.slug}/survey/{module.pk}/{tail}"


def draft_url(module, tail=""):
    return f"/projects/{module.phase.project.slug}/draft/{module.pk}/{tail}"


def people(n: int) -> list[User]:
    return [
        User.objects.create_user(
            username=f"p{next(counter)}", password="x-pass-12345", role=User.Role.CITIZEN
        )
        for _ in range(n)
    ]


def form(q, **change) -> dict:
    raw = answers(q, **change)
    data: dict = {}
    for key, question in q.items():
        values = raw[question.pk]
        if key == "ranking":
            data.update({f"q{question.pk}-{i}": v for i, v in enumerate(values)})
        elif key == "point":
            if values:
                data[f"q{question.pk}-lat"], data[f"q{question.pk}-lon"] = values
        else:
            data[f"q{question.pk}"] = values
    return data


def test_answer_through_the_page_then_see_the_results(client, survey, citizen):
    module, q = survey
    client.force_login(citizen)
    page = client.get(url(module)).content.decode()
    assert "How often do you come?" in page and f'name="q{q["single"].pk}"' in page
    response = client.post(url(module), form(q))
    assert response.status_code == 302 and response["Location"].endswith("/results/")
    results = client.get(response["Location"]).content.decode()
    assert "<svg" in results and "<table" in results and "Daily" in results
    assert "You have answered this survey" in client.get(url(module)).content.decode()


def test_a_bad_answer_is_shown_on_the_page_and_nothing_is_saved(client, survey, citizen):
    module, q = survey
    client.force_login(citizen)
    response = client.post(url(module), form(q, scale="9"))
    assert response.status_code == 400
    assert "Choose a value from 1 to 5." in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_closed_survey_says_why_and_a_post_changes_nothing(client, make_project, admin_user, citizen):
    module, q = make_survey(make_project(state="closed", slug="old").phase_list()[0], admin_user)
    client.force_login(citizen)
    assert "contributions are no longer taken" in client.get(url(module)).content.decode()
    response = client.post(url(module), form(q))
    assert response.status_code == 400
    assert "contributions are no longer taken" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_free_text_is_shown_to_staff_as_text_and_not_to_the_public(client, survey, citizen, admin_user):
    module, q = survey
    response_submit(module=module, user=citizen, answers=answers(q, text=HOSTILE))
    public = client.get(url(module, "results/")).content.decode()
    assert "alert(1)" not in public
    client.force_login(admin_user)
    staff = client.get(url(module, "results/")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in staff
    assert "<script>alert(1)" not in staff and "<img src=x" not in staff


def test_the_csv_is_for_staff_only(client, survey, citizen, admin_user):
    module, q = survey
    response_submit(module=module, user=citizen, answers=answers(q, text="=1+2"))
    assert client.get(url(module, "responses.csv")).status_code == 403
    client.force_login(citizen)
    assert client.get(url(module, "responses.csv")).status_code == 403
    client.force_login(admin_user)
    response = client.get(url(module, "responses.csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert "'=1+2" in body


def test_survey_answers_are_limited_like_reports(client, survey, write_limits):
    from django.core.cache import cache

    module, q = survey
    cache.clear()
    statuses = []
    for person in people(11):
        client.force_login(person)
        statuses.append(client.post(url(module), form(q)).status_code)
    assert statuses[:10] == [302] * 10
    assert statuses[10] == 429
    assert SurveyResponse.objects.count() == 10
    cache.clear()


def test_the_funnel_counts_survey_started_and_finished(client, survey, citizen):
    from gorod.analytics.demand.catalog import funnel_steps

    module, q = survey
    client.force_login(citizen)
    get_match = client.get(url(module)).resolver_match
    post = client.post(url(module), form(q))
    assert funnel_steps("GET", get_match.view_name, 200) == ["survey:started"]
    assert funnel_steps("POST", get_match.view_name, post.status_code) == ["survey:finished"]
    # A refused answer is "sent", not "finished".
    assert funnel_steps("POST", get_match.view_name, 400) == []


def test_the_results_page_is_pinned(client, survey):
    module, q = survey

    def add(k: int) -> None:
        for person in people(k):
            response_submit(module=module, user=person, answers=answers(q, text="ok"))

    # city, module, questions, total, grouped counts, multiple choice respondents.
    assert_pinned(6, growing(add, get(client, url(module, "results/"))))


def test_comment_a_paragraph_through_the_page(client, draft, citizen):
    client.force_login(citizen)
    page = client.get(draft_url(draft)).content.decode()
    assert "First paragraph." in page
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    paragraph = draft.paragraphs.first()
    response = client.post(draft_url(draft, f"{paragraph.pk}/comment/"), {"text": HOSTILE}, follow=True)
    body = response.content.decode()
    assert "Your comment is published." in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert(1)" not in body
    assert ParagraphComment.objects.filter(paragraph=paragraph).count() == 1


def test_a_paragraph_of_another_draft_is_404(client, draft, make_project, admin_user, citizen):
    other = module_add(
        phase=make_project(state="open", slug="o").phase_list()[0], kind="text_review", title="O"
    )
    [foreign] = draft_set(module=other, actor=admin_user, text="Other draft")
    client.force_login(citizen)
    assert client.post(draft_url(draft, f"{foreign.pk}/comment/"), {"text": "Hello there"}).status_code == 404
    assert not ParagraphComment.objects.exists()


def test_the_draft_page_is_pinned(client, draft):
    paragraphs = list(draft.paragraphs.all())

    def add(k: int) -> None:
        for person in people(k):
            for p in paragraphs:
                paragraph_comment(paragraph=p, user=person, text="A comment here")

    # city, module, paragraphs (with counts), comments.
    assert_pinned(4, growing(add, get(client, draft_url(draft))))


def test_after_a_refusal_the_form_comes_back_filled_in(client, survey, citizen):
    module, q = survey
    client.force_login(citizen)
    page = client.post(url(module), form(q, scale="9", text="Keep <b>this</b>", point=("59.9", "30.2")))
    body = page.content.decode()
    assert f'id="q{q["single"].pk}-o0" name="q{q["single"].pk}" value="0" checked' in body
    assert '<option value="2" selected>2</option>' in body
    assert "Keep &lt;b&gt;this&lt;/b&gt;</textarea>" in body
    assert 'value="59.9"' in body
    assert f'id="q{q["scale"].pk}" class="cp-question cp-invalid"' in body


def test_hostile_markdown_in_the_draft_is_sanitized(client, make_project, admin_user):
    module = module_add(
        phase=make_project(state="open", slug="md").phase_list()[0], kind="text_review", title="D"
    )
    draft_set(
        module=module,
        actor=admin_user,
        text="**Bold** <script>alert(1)</script>\n\n[link](javascript:alert(2)) <a href=x onclick=y>a</a>",
    )
    page = client.get(draft_url(module)).content.decode()
    assert "<strong>Bold</strong>" in page
    assert "<script>alert(1)" not in page and 'href="javascript:' not in page
    assert "<a href=x onclick" not in page and "&lt;a href=x onclick=y&gt;" in page
