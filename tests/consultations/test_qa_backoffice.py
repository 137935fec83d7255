"""Staff see a project's unanswered questions in the back office with their age, oldest first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gorod.accounts.models import User
from gorod.consultations.questions.services import answer_post, question_ask
from gorod.consultations.services import module_add
from gorod.core import clock
from tests.helpers import login_verified


@pytest.mark.usefixtures("english")
def test_the_project_page_lists_unanswered_questions_oldest_first_with_their_age(
    make_project, citizen, frozen_spring
):
    phase = make_project(state="open", slug="park").phase_list()[0]
    qa = module_add(phase=phase, kind="questions", title="Ask us")
    with clock.frozen(frozen_spring - dt.timedelta(days=4)):
        question_ask(module=qa, user=citizen, text="Four days old <b>question</b>?")
    question_ask(module=qa, user=citizen, text="A question of today, please?")
    done = question_ask(module=qa, user=citizen, text="An answered question here?")
    moderator = User.objects.create_user(
        username="mod", password="x-pass-12345", role=User.Role.MODERATOR, email="m@example.org"
    )
    answer_post(question=done, user=moderator, text="It is answered already.")

    client = login_verified(Client(HTTP_ACCEPT_LANGUAGE="en"), moderator)
    page = client.get("/backoffice/projects/park/").content.decode()
    assert "2 questions wait for an answer" in page
    old_at, new_at = page.index("Four days old"), page.index("A question of today")
    assert old_at < new_at
    assert "4 days" in page and "0 days" in page
    assert "&lt;b&gt;question&lt;/b&gt;" in page
    assert "An answered question" not in page
