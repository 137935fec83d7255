"""The public pages: they render, escape user text, keep the receipt out of URLs, and refuse bad input
with a message instead of an error page."""

from __future__ import annotations

import re

import pytest

from gorod.budgeting import keys
from gorod.budgeting.eligibility.codes import codes_generate
from gorod.budgeting.models import Ballot, Project, Receipt
from gorod.budgeting.services import idea_submit
from tests.helpers import login_verified

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def voting(make_process, on_ballot, census, districts):
    process = make_process(max_choices=2, allow_codes=True)
    on_ballot(process, [("1", 100, None), ("2", 200, None), ("n1", 100, districts["north"])])
    census(process, "N-1,north,1990-01-01\n")
    return process


def test_pages_render(en_client, voting):
    for url in (
        "/pb/",
        f"/pb/{voting.slug}/",
        f"/pb/{voting.slug}/ideas/",
        f"/pb/{voting.slug}/reviews/",
        f"/pb/{voting.slug}/lottery/",
        f"/pb/{voting.slug}/vote/",
        f"/pb/{voting.slug}/vote/city/",
        f"/pb/{voting.slug}/vote/north/",
        f"/pb/{voting.slug}/receipts/",
        f"/pb/{voting.slug}/results/",
        f"/pb/{voting.slug}/ideas/1/",
    ):
        response = en_client.get(url)
        assert response.status_code == 200, url
    assert en_client.get("/pb/nothing/").status_code == 404
    assert en_client.get(f"/pb/{voting.slug}/vote/atlantis/").status_code == 404
    assert en_client.get(f"/pb/{voting.slug}/ideas/999/").status_code == 404


def test_vote_receipt_and_check(en_client, voting):
    response = en_client.post(
        f"/pb/{voting.slug}/vote/city/",
        {"project": ["1", "2"], "identifier": "N-1", "birth_date": "1990-01-01"},
    )
    assert response.status_code == 302 and response["Location"] == f"/pb/{voting.slug}/receipt/"
    page = en_client.get(response["Location"]).content.decode()
    code = re.search(r'id="receipt-code">([A-Z0-9-]+)<', page).group(1)
    assert Receipt.objects.filter(receipt_hash=keys.receipt_hash(code), ballot__isnull=False).exists()
    # Shown once.
    again = en_client.get(f"/pb/{voting.slug}/receipt/")
    assert again.status_code == 302 and code not in en_client.get(again["Location"]).content.decode()
    checked = en_client.post(f"/pb/{voting.slug}/receipts/", {"receipt": code.lower()})
    assert "is counted" in checked.content.decode()
    en_client.post(
        f"/pb/{voting.slug}/vote/city/", {"project": ["2"], "identifier": "N-1", "birth_date": "1990-01-01"}
    )
    assert "replaced" in en_client.post(f"/pb/{voting.slug}/receipts/", {"receipt": code}).content.decode()
    assert (
        "No ballot has this receipt"
        in en_client.post(f"/pb/{voting.slug}/receipts/", {"receipt": "NOPE"}).content.decode()
    )
    listing = b"".join(en_client.get(f"/pb/{voting.slug}/receipts.txt").streaming_content).decode().split()
    assert len(listing) == 1 and keys.receipt_hash(code) not in listing


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"project": ["1", "2", "n1"], "identifier": "N-1", "birth_date": "1990-01-01"}, "another district"),
        ({"project": ["1", "2", "1"], "identifier": "N-1", "birth_date": "1990-01-01"}, "twice"),
        (
            {"project": ["<script>x</script>"], "identifier": "N-1", "birth_date": "1990-01-01"},
            "not on the ballot",
        ),
        ({"project": ["1"], "identifier": "NOBODY", "birth_date": "1990-01-01"}, "could not confirm your"),
        ({"project": ["1"], "code": "AAAA-BBBB-CCCC-DDDD"}, "could not confirm your"),
        ({"project": ["1"]}, "could not confirm"),
        ({}, "could not confirm"),
    ],
)
def test_refused_ballots_show_why_and_save_nothing(en_client, voting, post, message):
    response = en_client.post(f"/pb/{voting.slug}/vote/city/", post)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "<script>x</script>" not in html
    assert not Ballot.objects.exists()


def test_reused_code_over_the_web(en_client, voting):
    [code] = codes_generate(process=voting, count=1)
    assert (
        en_client.post(f"/pb/{voting.slug}/vote/city/", {"project": ["1"], "code": code}).status_code == 302
    )
    response = en_client.post(f"/pb/{voting.slug}/vote/city/", {"project": ["2"], "code": code})
    assert response.status_code == 400 and "could not confirm your" in response.content.decode()
    assert Ballot.objects.get().choices == ["1"]


def test_cumulative_and_ranked_forms(en_client, make_process, on_ballot, census):
    cumulative = make_process(
        ballot_kind="cumulative", points_total=5, points_per_project=3, budgets=[(None, 1000)]
    )
    on_ballot(cumulative, [("1", 100, None), ("2", 200, None)])
    census(cumulative, "X,,1990-01-01\n")
    bad = en_client.post(
        f"/pb/{cumulative.slug}/vote/city/",
        {"points-1": "abc", "identifier": "X", "birth_date": "1990-01-01"},
    )
    assert bad.status_code == 400
    assert (
        en_client.post(
            f"/pb/{cumulative.slug}/vote/city/",
            {"points-1": "3", "points-2": "2", "identifier": "X", "birth_date": "1990-01-01"},
        ).status_code
        == 302
    )
    assert Ballot.objects.get(process=cumulative).points == [3, 2]
    ranked = make_process(ballot_kind="ranked", ranked_length=2, budgets=[(None, 1000)])
    on_ballot(ranked, [("1", 100, None), ("2", 200, None), ("3", 300, None)])
    census(ranked, "X,,1990-01-01\n")
    page = en_client.get(f"/pb/{ranked.slug}/vote/city/").content.decode()
    assert 'name="rank-2"' in page and 'name="rank-3"' not in page
    assert (
        en_client.post(
            f"/pb/{ranked.slug}/vote/city/",
            {"rank-1": "3", "rank-2": "1", "identifier": "X", "birth_date": "1990-01-01"},
        ).status_code
        == 302
    )
    assert Ballot.objects.get(process=ranked).choices == ["3", "1"]


def test_after_closing_the_ballot_page_says_so(en_client, voting):
    from gorod.core import clock

    with clock.frozen(voting.phases.get(kind="ballot").ends):
        page = en_client.get(f"/pb/{voting.slug}/vote/city/").content.decode()
        assert "Voting has closed" in page and "Cast my ballot" not in page
        response = en_client.post(
            f"/pb/{voting.slug}/vote/city/",
            {"project": ["1"], "identifier": "N-1", "birth_date": "1990-01-01"},
        )
    assert response.status_code == 400 and not Ballot.objects.exists()


def test_idea_form_and_escaping(en_client, make_process, citizen):
    process = make_process(phase="ideas")
    en_client.force_login(citizen)
    bad = en_client.post(
        f"/pb/{process.slug}/ideas/new/", {"title": "", "description": "x", "scope": "mars", "cost": "-1"}
    )
    assert bad.status_code == 400 and not Project.objects.exists()
    ok = en_client.post(
        f"/pb/{process.slug}/ideas/new/",
        {
            "title": "<b>Сквер</b>",
            "description": "Посадить деревья во дворе",
            "scope": "north",
            "cost": "1000",
        },
    )
    assert ok.status_code == 302
    page = en_client.get(ok["Location"]).content.decode()
    assert "&lt;b&gt;Сквер&lt;/b&gt;" in page and "<b>Сквер</b>" not in page


def test_ideas_list_query_count(en_client, make_process, citizen, django_assert_max_num_queries):
    process = make_process(phase="ideas")
    for i in range(15):
        idea_submit(
            process=process,
            author=citizen,
            title=f"Идея {i}",
            description="Описание идеи для города",
            cost=100,
        )
    with django_assert_max_num_queries(12):
        assert en_client.get(f"/pb/{process.slug}/ideas/").status_code == 200


def test_manage_page_is_for_city_admins(en_client, voting, admin_user, citizen):
    en_client.force_login(citizen)
    assert en_client.get(f"/pb/{voting.slug}/manage/").status_code == 403
    login_verified(en_client, admin_user)
    assert en_client.get(f"/pb/{voting.slug}/manage/").status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "census.csv", b"identifier,district,birth_date\nZ-1,north,1990-01-01\n", content_type="text/csv"
    )
    response = en_client.post(f"/pb/{voting.slug}/manage/", {"action": "census", "file": upload})
    assert response.status_code == 302
    bad = SimpleUploadedFile("census.csv", b"Z-2,atlantis,1990-01-01\n", content_type="text/csv")
    response = en_client.post(f"/pb/{voting.slug}/manage/", {"action": "census", "file": bad})
    assert response.status_code == 400 and "unknown district" in response.content.decode()
    response = en_client.post(f"/pb/{voting.slug}/manage/action/", {"action": "publish"}, follow=True)
    assert "after the vote closes" in response.content.decode()
