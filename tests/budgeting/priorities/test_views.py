from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from pabutools.election.pabulib import parse_pabulib_from_string

from gorod.budgeting.priorities.models import Action, Choice, Game, Play
from gorod.core import clock
from tests.conftest import MSK

pytestmark = pytest.mark.django_db

PLAY = "/pb/priorities/small/"
RESULTS = "/pb/priorities/small/results/"


@pytest.fixture
def ru(client):
    client.cookies["django_language"] = "ru"
    return client


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_list_shows_published_games_with_their_state(ru, small_game, frozen_spring):
    Game.objects.create(
        municipality=small_game.municipality, slug="draft", title="Черновик", coins=5,
        opens_on=dt.date(2026, 1, 1), published=False,
    )  # fmt: skip
    page = ru.get("/pb/priorities/").content.decode()
    assert "Малая игра" in page and "Черновик" not in page
    assert 'href="/pb/priorities/small/"' in page


def test_the_game_page_shows_actions_costs_effects_and_the_bars(ru, small_game, ids, frozen_spring):
    response = ru.get(PLAY)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{ids["repair"]}"' in page and "Ремонт" in page
    assert "Безопасность +2" in page and "Воздух \u22121" in page  # the effect chips, with a real minus
    assert page.count('class="prio-bar-row"') == 2
    assert 'id="prio-data"' in page and "priorities.js" in page
    assert "Осталось монет: 10 из 10" in page


def test_submitting_saves_the_play_and_shows_the_comparison(ru, small_game, ids, frozen_spring):
    response = ru.post(PLAY, {"action": [ids["repair"], ids["lights"]], "intent": "submit"})
    assert response.status_code == 302 and response["Location"] == RESULTS
    play = Play.objects.get()
    assert play.coins_spent == 9
    # The session holds the token; the database only its hash.
    token = ru.session["priorities"][str(small_game.pk)]
    assert play.token_hash != token and len(play.token_hash) == 64
    page = ru.get(RESULTS).content.decode()
    assert "9 / 10" in page
    assert page.count("prio-share-mine") == 2


def test_coming_back_shows_the_saved_choice_and_a_new_submission_replaces_it(
    ru, small_game, ids, frozen_spring
):
    ru.post(PLAY, {"action": [ids["repair"]], "intent": "submit"})
    page = ru.get(PLAY).content.decode()
    assert page.count(" checked") == 1
    assert re.search(rf'value="{ids["repair"]}"[^>]* checked', page)
    ru.post(PLAY, {"action": [ids["trees"]], "intent": "submit"})
    assert Play.objects.count() == 1
    assert list(Choice.objects.values_list("action__key", flat=True)) == ["trees"]


def test_another_browser_cannot_see_or_replace_my_play(ru, small_game, ids, frozen_spring):
    ru.post(PLAY, {"action": [ids["repair"]], "intent": "submit"})
    other = Client()
    assert " checked" not in other.get(PLAY).content.decode()
    other.post(PLAY, {"action": [ids["trees"]], "intent": "submit"})
    assert Play.objects.count() == 2


@pytest.mark.parametrize(
    ("actions", "message"),
    [
        (["999999"], "not part of this game"),
        (["<script>"], "not part of this game"),
        ([], "at least one"),
        ("dup", "chosen twice"),
        ("all", "costs 13 coins"),
    ],
)
def test_bad_choices_are_refused_with_a_message_and_nothing_saved(
    en, small_game, ids, frozen_spring, actions, message
):
    if actions == "dup":
        actions = [ids["lights"], ids["lights"]]
    elif actions == "all":
        actions = list(ids.values())
    response = en.post(PLAY, {"action": actions, "intent": "submit"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and message in page
    assert "<script>" not in page.split("<main")[1].split("prio-data")[0]
    assert not Play.objects.exists()


def test_posted_coins_are_ignored_the_server_uses_its_own_costs(ru, small_game, ids, frozen_spring):
    ru.post(PLAY, {"action": [ids["trees"]], "coins": "-100", "cost": "0", "intent": "submit"})
    assert Play.objects.get().coins_spent == 4
    assert Choice.objects.get().coins == 4


def test_the_recalculate_button_redraws_the_bars_without_saving(ru, small_game, ids, frozen_spring):
    response = ru.post(PLAY, {"action": [ids["repair"], ids["trees"]], "intent": "preview"})
    assert response.status_code == 200
    page = response.content.decode()
    assert not Play.objects.exists()
    assert page.count(" checked") == 2
    # Air -1 + 3 = +2 and safety +2, on a scale of 3: two thirds of the "helps" half.
    assert page.count('<strong class="prio-bar-value value-up">+2</strong>') == 2
    assert page.count("width: 66.7%") == 2
    assert "Осталось монет: 0 из 10" in page


def test_recalculating_an_over_budget_choice_says_so(en, small_game, ids, frozen_spring):
    response = en.post(PLAY, {"action": list(ids.values()), "intent": "preview"})
    assert response.status_code == 400
    assert "costs 13 coins, 3 coins more than the 10 you have" in response.content.decode()
    assert not Play.objects.exists()


def test_a_closed_game_can_be_looked_at_but_not_played(ru, small_game, ids):
    with clock.frozen(dt.datetime(2026, 6, 2, 12, 0, tzinfo=MSK)):
        page = ru.get(PLAY).content.decode()
        assert "prio-submit" not in page and "disabled" in page
        response = ru.post(PLAY, {"action": [ids["trees"]], "intent": "submit"})
    assert response.status_code == 400
    assert not Play.objects.exists()


def test_an_unpublished_or_unknown_game_is_not_found(ru, small_game, frozen_spring):
    Game.objects.filter(pk=small_game.pk).update(published=False)
    for url in (PLAY, RESULTS, PLAY + "export.pb", "/pb/priorities/nope/"):
        assert ru.get(url).status_code == 404


def test_a_huge_post_is_answered_with_the_game_and_a_message(en, small_game, ids, frozen_spring, settings):
    data = {"action": [str(ids["trees"])] * 50_000, "intent": "submit"}
    response = en.post(PLAY, data)
    assert response.status_code == 400
    assert "What the browser sent was too large" in response.content.decode()
    assert not Play.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(small_game, ids, frozen_spring):
    client = Client(enforce_csrf_checks=True)
    response = client.post(PLAY, {"action": [ids["trees"]], "intent": "submit"})
    assert response.status_code == 403
    assert not Play.objects.exists()


def test_staff_text_is_escaped(ru, four_plays, ids):
    Action.objects.filter(pk=ids["trees"]).update(name='<img src=x onerror="alert(1)">')
    for url in (PLAY, RESULTS):
        page = ru.get(url).content.decode()
        assert "<img src=x" not in page and "&lt;img src=x" in page


def test_the_results_page_shows_the_aggregate(ru, four_plays, ids):
    page = ru.get(RESULTS).content.decode()
    assert "<dd>4</dd>" in page  # players
    assert "75%" in page and "50%" in page  # trees 3 of 4; repair and lights 2 of 4
    assert "+1,8" in page  # average air effect 1.75, in the Russian number format
    assert "4,5" in page  # average coins on roads


def test_the_results_page_before_playing_invites_to_play(ru, four_plays):
    with clock.frozen(dt.datetime(2026, 5, 13, 12, 0, tzinfo=MSK)):
        page = ru.get(RESULTS).content.decode()
    assert "button-start" in page and "prio-share-mine" not in page


def test_the_export_is_served_as_a_pabulib_file(ru, four_plays):
    response = ru.get(PLAY + "export.pb")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="small.pb"'
    instance, profile = parse_pabulib_from_string(response.content.decode())
    assert len(profile) == 4 and instance.meta["vote_type"] == "cumulative"


def test_the_pages_speak_english_too(client, small_game, four_plays):
    client.cookies["django_language"] = "en"
    page = client.get(PLAY).content.decode()
    assert "Small game" in page and "Repair" in page and "Safety +2" in page


def test_the_refusal_is_in_russian_for_a_russian_reader(ru, small_game, ids, frozen_spring):
    response = ru.post(PLAY, {"action": list(ids.values()), "intent": "submit"})
    page = response.content.decode()
    assert "Ваш выбор не сохранён" in page
    assert "Ваш выбор стоит 13 монет — на 3 монеты больше, чем есть у вас (10)" in page
