"""The results page says in plain words where the money went and why a project with more votes than a
funded one lost (issue 9, item 13), pinned on small elections made by hand; the chart names projects;
the completed MES is the default rule."""

from __future__ import annotations

import re
from decimal import Decimal

from gorod.budgeting.models import Ballot, Process, Project
from gorod.budgeting.services import results_publish
from gorod.core import clock

TITLES = {"1": "Скамейки", "2": "Фонари", "3": "Детская площадка", "4": "Клумбы", "5": "Фонтан"}
# 14 voters, 1,000 RUB. «Детская площадка» has the most votes (9), but 5 of its voters also want
# «Скамейки» and 4 also want «Фонари»: their shares pay for those first.
PLAYGROUND = ([300, 300, 600, 200], 1000, [(5, ["1", "3"]), (4, ["2", "3"]), (3, ["4"]), (2, ["1"])])


def published(make_process, costs, budget, groups, **rules) -> Process:
    process = make_process(budgets=[(None, budget)], **rules)
    for i, cost in enumerate(costs, start=1):
        Project.objects.create(
            process=process,
            code=str(i),
            title=TITLES[str(i)],
            cost=Decimal(cost),
            status=Project.Status.ON_BALLOT,
            order=i,
        )
    Ballot.objects.bulk_create(
        [Ballot(process=process, choices=choices) for n, choices in groups for _i in range(n)]
    )
    with clock.frozen(process.phases.get(kind="ballot").ends):
        results_publish(process=process)
    return process


def page_text(client, process, language="en") -> str:
    html = client.get(f"/pb/{process.slug}/results/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.replace("\u00a0", " ")))


def test_the_completed_method_of_equal_shares_is_the_default_rule(make_process):
    assert make_process().tally_rule == "mes-add1"


def test_the_page_says_where_the_money_went_and_why_the_most_voted_project_lost(client, make_process):
    text = page_text(client, published(make_process, *PLAYGROUND))
    assert "800 RUB of the budget of 1,000 RUB went to 3 projects." in text
    assert (
        "The remaining 200 RUB is not enough for «Детская площадка», the one project not funded, which "
        "costs 600 RUB, so it stays unallocated in this vote." in text
    )
    assert "each had 75 RUB to spend on the projects they voted for" in text
    assert "The budget divided among the 14 voters is 71 RUB; the method raises all shares" in text
    assert "«Детская площадка» — 9 votes, costs 600 RUB." in text
    assert (
        "Together its voters’ shares came to 679 RUB, but 514 RUB of that had already paid for other "
        "projects they had also voted for: «Фонари» (300 RUB), «Скамейки» (214 RUB). The 165 RUB they "
        "had left was less than its cost of 600 RUB. The 200 RUB left of the budget is not enough for it "
        "either." in text
    )
    # Only projects with more votes than a funded one need explaining: «Клумбы» (3) was funded.
    assert text.count("votes, costs") == 1


def test_the_explanation_is_in_russian_for_russian_readers(client, make_process):
    text = page_text(client, published(make_process, *PLAYGROUND), language="ru")
    assert "Куда пошли деньги" in text
    assert "«Детская площадка» — 9 голосов, стоимость 600 RUB." in text
    assert "но 514 RUB из них уже ушли на другие проекты, за которые они тоже голосовали" in text


def test_plain_mes_says_why_money_stayed_unspent(client, make_process):
    text = page_text(client, published(make_process, *PLAYGROUND, tally_rule="mes"))
    assert "500 RUB of the budget of 1,000 RUB went to 2 projects." in text
    assert (
        "The remaining 500 RUB stays unallocated in this vote, although some of the projects that were "
        "not funded cost less." in text
    )
    assert "The completed Method of Equal Shares would go on to spend this money" in text
    # «Фонари» (4 votes) spent nothing: its voters' shares alone fall short of its cost.
    assert "«Фонари» — 4 votes, costs 300 RUB." in text
    assert (
        "Together its voters’ shares came to 286 RUB, less than its cost of 300 RUB: too few voters "
        "wanted it for what it costs." in text
    )
    assert "«Детская площадка» — 9 votes" in text and "«Скамейки» (214 RUB)" in text
    assert "left of the budget" not in text  # no completion: the unspent money is explained above


def test_a_project_the_completion_passed_over_says_what_was_left_at_its_turn(client, make_process):
    process = published(
        make_process,
        [600, 200, 200, 300, 600],
        700,
        [(1, ["1"]), (2, ["2", "3"]), (1, ["1", "2", "3", "4", "5"])],
    )
    text = page_text(client, process)
    assert "The whole budget is used." in text
    assert "«Скамейки» — 2 votes, costs 600 RUB." in text
    assert "when this one’s turn came, 300 RUB was left, not enough for it." in text


def test_chart_bars_carry_project_names(client, make_process):
    html = client.get(f"/pb/{published(make_process, *PLAYGROUND).slug}/results/").content.decode()
    chart = html[html.index("<svg") : html.index("</svg>")]
    for code, title in list(TITLES.items())[:4]:
        assert f"№{code} {title}" in chart
