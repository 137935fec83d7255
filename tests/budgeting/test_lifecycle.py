"""A process from ideas to implementation through the services, with the clock moved phase by phase."""

from __future__ import annotations

import datetime as dt

import pytest

from gorod.budgeting.eligibility import Credentials
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import ExpertAssignment, Milestone, Project, Support
from gorod.budgeting.services import (
    ballot_cast,
    idea_submit,
    idea_support,
    milestone_add,
    process_advance,
    review_submit,
)
from gorod.core import clock
from tests.conftest import make_jpeg

pytestmark = pytest.mark.usefixtures("english")


def at(process, kind, offset=dt.timedelta(hours=1)):
    return clock.frozen(process.phases.get(kind=kind).starts + offset)


def test_from_idea_to_milestone(make_process, districts, census, django_user_model, admin_user):
    process = make_process(phase="ideas", budgets=[(None, 1000), (districts["north"], 500)])
    people = [
        django_user_model.objects.create_user(username=f"p{i}", password="x-pass-12345") for i in range(3)
    ]
    expert = django_user_model.objects.create_user(username="expert", password="x-pass-12345")
    ExpertAssignment.objects.create(process=process, user=expert)
    executor = django_user_model.objects.create_user(
        username="exec", password="x-pass-12345", role="executor"
    )

    good = idea_submit(
        process=process,
        author=people[0],
        title="Скамейки",
        description="Поставить скамейки во дворе",
        cost="300",
    )
    weak = idea_submit(
        process=process, author=people[1], title="Фонтан", description="Большой фонтан на площади", cost=900
    )
    local = idea_submit(
        process=process,
        author=people[2],
        title="Горка",
        description="Детская горка у школы",
        cost=200,
        district=districts["north"],
    )
    assert [good.code, weak.code, local.code] == ["1", "2", "3"]
    with pytest.raises(Refused, match="no budget"):
        idea_submit(
            process=process,
            author=people[0],
            title="Юг",
            description="Что-то на юге города",
            cost=1,
            district=districts["south"],
        )
    with pytest.raises(Refused, match="cannot be supported"):
        idea_support(project=good, user=people[1])

    with at(process, "support"):
        for p in people[:2]:
            idea_support(project=good, user=p)
            idea_support(project=local, user=p)
        idea_support(project=weak, user=people[2])
        with pytest.raises(Refused, match="already support"):
            idea_support(project=good, user=people[0])
        with pytest.raises(Refused, match="not being collected"):
            idea_submit(
                process=process,
                author=people[0],
                title="Поздно",
                description="Поздняя идея для города",
                cost=1,
            )
    with at(process, "lottery"):
        process_advance(process=process)
    assert Project.objects.get(pk=good.pk).status == "supported"
    assert Project.objects.get(pk=weak.pk).status == "submitted"  # 1 supporter, threshold 2

    with at(process, "review"):
        process_advance(process=process)
        assert Project.objects.get(pk=good.pk).status == "in_review"
        with pytest.raises(Refused, match="not by you"):
            review_submit(
                project=good, expert=people[0], feasible=True, cost_estimate=1, opinion="Мнение не эксперта"
            )
        with pytest.raises(Refused, match="not in expert review"):
            review_submit(
                project=weak, expert=expert, feasible=True, cost_estimate=1, opinion="Идея без поддержки"
            )
        review_submit(
            project=good, expert=expert, feasible=True, cost_estimate="350", opinion="Можно сделать за лето."
        )
        review_submit(
            project=local, expert=expert, feasible=True, cost_estimate=250, opinion="Можно, нужна площадка."
        )
    assert Project.objects.get(pk=good.pk).cost == 350

    census(process, "V1,north,1990-01-01\nV2,north,1990-01-01\n")
    with at(process, "ballot"):
        process_advance(process=process)
        assert set(
            Project.objects.filter(process=process, status="on_ballot").values_list("code", flat=True)
        ) == {"1", "3"}
        ballot_cast(
            process=process,
            credentials=Credentials(identifier="V1", birth_date="1990-01-01"),
            district=None,
            choices=["1"],
        )
        ballot_cast(
            process=process,
            credentials=Credentials(identifier="V1", birth_date="1990-01-01"),
            district=districts["north"],
            choices=["3"],
        )
        with pytest.raises(Refused, match="not on the ballot"):
            ballot_cast(
                process=process,
                credentials=Credentials(identifier="V2", birth_date="1990-01-01"),
                district=None,
                choices=["2"],
            )
    with at(process, "results"):
        assert "results published" in process_advance(process=process)
    assert Project.objects.get(pk=good.pk).status == "funded"
    assert Project.objects.get(pk=local.pk).status == "funded"

    with at(process, "implementation"):
        m = milestone_add(
            project=good,
            actor=executor,
            date=dt.date(2026, 6, 1),
            text="Заказаны скамейки",
            money_spent=100,
            photo=make_jpeg(exif_gps=True),
        )
        assert m.photo.name.endswith(".jpg")
        with pytest.raises(Refused):
            milestone_add(
                project=good, actor=executor, date=dt.date(2026, 6, 2), text="Фото", photo=b"not a photo"
            )
        with pytest.raises(Refused, match="not by you"):
            milestone_add(project=good, actor=people[0], date=dt.date(2026, 6, 2), text="Я сам")
        with pytest.raises(Refused, match="Only funded"):
            milestone_add(project=weak, actor=executor, date=dt.date(2026, 6, 2), text="Нет")
    assert Milestone.objects.count() == 1
    assert Support.objects.count() == 5


def test_idea_input_is_checked(make_process, citizen):
    process = make_process(phase="ideas")
    for kwargs, message in (
        ({"title": " ", "description": "достаточно длинно", "cost": 1}, "title"),
        ({"title": "Т", "description": "коротко", "cost": 1}, "few words"),
        ({"title": "Т", "description": "достаточно длинно", "cost": "abc"}, "number"),
        ({"title": "Т", "description": "достаточно длинно", "cost": -5}, "above zero"),
        ({"title": "Т", "description": "достаточно длинно", "cost": "1e30"}, "above zero"),
    ):
        with pytest.raises(Refused, match=message):
            idea_submit(process=process, author=citizen, **kwargs)
    assert not Project.objects.exists()
