"""The demo's text-in: a project of its own with the keyword ДВОР and ideas that came by SMS; idempotent."""

from __future__ import annotations

import io

from django.core.management.base import OutputWrapper

from gorod.consultations.ideas.models import Idea
from gorod.consultations.textin.models import Keyword, OptOut, TextMessage
from gorod.demo.consultations import textin
from tests.conftest import SPRING_DAY


def test_seed_twice_adds_one_keyword_and_its_messages(city, django_user_model, frozen_spring):
    django_user_model.objects.create_user(username="boss", password="x-pass-12345", role="city_admin")
    out = OutputWrapper(io.StringIO())
    for _ in range(2):
        textin.seed(municipality=city, seed=1, anchor=SPRING_DAY.date(), stdout=out)
    keyword = Keyword.objects.get()
    assert keyword.word == "ДВОР" and keyword.module.phase.project.slug == textin.SLUG
    assert keyword.module.phase.state == "open"
    assert TextMessage.objects.count() == len(textin.MESSAGES)
    assert Idea.objects.filter(by_text_message=True).count() == 5
    assert TextMessage.objects.filter(outcome="unknown", word="ДВОРЫ").exists()
    assert OptOut.objects.count() == 1
