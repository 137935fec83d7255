from __future__ import annotations

import pytest

from gorod.accounts.models import User
from gorod.budgeting.priorities.models import Action, Game
from tests.helpers import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("boss", "boss@example.org", "x-long-password-1")
    return login_verified(client, user)


def test_staff_edit_a_game_with_its_areas_and_priorities_inline(admin_client, small_game, four_plays):
    page = admin_client.get("/admin/priorities/game/").content.decode()
    assert "Малая игра" in page and ">4<" in page  # the play count column
    page = admin_client.get(f"/admin/priorities/game/{small_game.pk}/change/").content.decode()
    assert 'name="areas-0-key"' in page and 'name="priorities-0-key"' in page


def test_staff_cannot_lower_the_pool_below_an_action_cost(admin_client, small_game):
    page = admin_client.get(f"/admin/priorities/game/{small_game.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "municipality": small_game.municipality_id,
            "coins": 5,  # the repair action costs 6
            "opens_on": "2026-05-01",
            "closes_on": "2026-05-31",
            "areas-TOTAL_FORMS": 0,
            "areas-INITIAL_FORMS": 0,
            "priorities-TOTAL_FORMS": 0,
            "priorities-INITIAL_FORMS": 0,
        }
    )
    response = admin_client.post(f"/admin/priorities/game/{small_game.pk}/change/", data)
    assert response.status_code == 200
    assert "Некоторые действия стоят больше; сначала уменьшите их стоимость." in response.content.decode()
    assert Game.objects.get().coins == 10


def test_the_effects_of_an_action_offer_only_its_games_priorities(admin_client, small_game, small_text, ids):
    from gorod.budgeting.priorities.schema import parse_game_file
    from gorod.budgeting.priorities.services import game_import

    game_import(parse_game_file(small_text.replace("slug: small", "slug: other")))
    response = admin_client.get(f"/admin/priorities/action/{ids['trees']}/change/")
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    choices = formset.empty_form.fields["priority"].queryset
    assert set(choices.values_list("game__slug", flat=True)) == {"small"}
    assert Action.objects.count() == 6
