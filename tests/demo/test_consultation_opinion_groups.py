"""The demo opinion-groups project: a few hundred residents with planted camps, the groups computed at
seed time (the planted camps found, the shared statements as consensus); idempotent; the page renders."""

from __future__ import annotations

import io

from django.core.management.base import OutputWrapper

from gorod.consultations.models import Module
from gorod.consultations.opinion_groups.models import Consensus, OpinionResult, RecomputeRequest, Statement
from gorod.demo.consultations import opinion_groups
from tests.conftest import SPRING_DAY


def test_seed_twice_adds_one_computed_conversation(city, django_user_model, frozen_spring, client):
    django_user_model.objects.create_user(username="admin", password="x-pass-12345", role="city_admin")
    out = OutputWrapper(io.StringIO())
    for _ in range(2):
        opinion_groups.seed(municipality=city, seed=1, anchor=SPRING_DAY.date(), stdout=out)
    module = Module.objects.get(kind="opinion_groups")
    assert Statement.objects.filter(module=module).count() == len(opinion_groups.STATEMENTS)
    result = OpinionResult.objects.get(module=module)
    assert result.participants >= 300 and result.grouped > 250
    assert result.groups.count() == len(opinion_groups.CAMPS)
    shared = {text for text, lean in opinion_groups.STATEMENTS if lean == (1, 1, 1)}
    found = set(Consensus.objects.filter(result=result).values_list("statement__text", flat=True))
    assert found and found <= shared | {t for t, lean in opinion_groups.STATEMENTS if min(lean) >= 0}
    assert not RecomputeRequest.objects.exists()
    page = client.get(f"/projects/{opinion_groups.SLUG}/opinions/{module.pk}/", HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200 and 'class="og-scatter"' in page.content.decode()
