"""Map feedback under the moderation every module shares: a pre-moderated project holds residents' pins
(not on the public map, the heatmap, the export or the counts; the author sees "awaiting moderation")
until a moderator publishes them on the desk; residents flag a pin once each and it reaches the desk;
hiding there shows the reason in place and takes the pin off the heatmap; a barred account is refused."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from gorod.accounts.models import User
from gorod.consultations import contributions, moderation
from gorod.consultations.errors import Refused
from gorod.consultations.map_feedback import selectors, services
from gorod.consultations.models import Module
from gorod.consultations.services import module_add, project_update
from gorod.core.models import AuditEntry
from tests.helpers import login_verified

pytestmark = pytest.mark.usefixtures("english")

DESK = "/backoffice/projects/moderation/"
INSIDE = {"lat": 59.985, "lon": 30.26}
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def board(make_project):
    phase = make_project(state="open", slug="park").phase_list()[0]
    return module_add(phase=phase, kind="map_feedback", title="Карта парка")


@pytest.fixture
def people(city):
    def make(name: str, role: str) -> User:
        return User.objects.create_user(username=name, email=f"{name}@example.org", password="x", role=role)

    return {
        "moderator": make("moder", User.Role.MODERATOR),
        "boris": make("boris", User.Role.CITIZEN),
        "vera": make("vera", User.Role.CITIZEN),
    }


def signed_in(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user.role == User.Role.CITIZEN:
        client.force_login(user)
        return client
    return login_verified(client, user)


def premoderated(board: Module) -> Module:
    project_update(project=board.phase.project, premoderated=True)
    return Module.objects.select_related("phase__project").get(pk=board.pk)


def page(module: Module, client: Client | None = None) -> str:
    return (
        (client or Client(HTTP_ACCEPT_LANGUAGE="en")).get(f"/projects/park/map/{module.pk}/").content.decode()
    )


def public_numbers(module: Module) -> tuple[int, int, int]:
    heat = json.loads(selectors.heatmap_json(module))
    return (
        selectors.counts(module)["total"],
        sum(f["properties"]["count"] for f in heat["features"]),
        len(selectors.export(module)["features"]),
    )


def test_premoderation_holds_a_pin_until_a_moderator_publishes_it(board, citizen, people):
    board = premoderated(board)
    assert public_numbers(board) == (0, 0, 0)  # cached now: publishing must make the cache stale
    pin = services.contribution_add(module=board, user=citizen, sentiment=1, comment="Тёмная аллея", **INSIDE)
    assert pin.awaiting
    assert public_numbers(board) == (0, 0, 0)
    assert "Тёмная аллея" not in page(board)
    assert "Тёмная аллея" not in page(board, signed_in(people["boris"]))
    own = page(board, signed_in(citizen))
    assert "Тёмная аллея" in own and "Awaiting moderation." in own
    # Nobody agrees with what is not published yet.
    with pytest.raises(Refused):
        services.agree(contribution=pin, user=people["boris"])

    desk = signed_in(people["moderator"]).get(DESK).content.decode()
    assert "Map contribution:" in desk and "Very negative, a point: Тёмная аллея" in desk
    signed_in(people["moderator"]).post(f"{DESK}publish/", {"target": "map_contribution", "pk": pin.pk})
    pin.refresh_from_db()
    assert not pin.awaiting
    assert public_numbers(board) == (1, 1, 1)
    assert "Тёмная аллея" in page(board) and "Awaiting moderation." not in page(board)
    assert AuditEntry.objects.filter(action="consultations.publish", object_id=str(pin.pk)).exists()
    services.agree(contribution=pin, user=people["boris"])


def test_a_paper_response_is_not_held(board, admin_user):
    board = premoderated(board)
    paper = services.paper_response_add(module=board, staff=admin_user, sentiment=4, **INSIDE)
    assert not paper.awaiting and public_numbers(board) == (1, 1, 1)


def test_without_premoderation_a_pin_is_on_the_map_at_once(board, citizen):
    assert not services.contribution_add(module=board, user=citizen, sentiment=3, **INSIDE).awaiting
    assert public_numbers(board) == (1, 1, 1)


def test_residents_flag_a_pin_once_and_the_desk_hides_it_with_the_reason_in_place(board, citizen, people):
    pin = services.contribution_add(module=board, user=citizen, sentiment=2, comment=HOSTILE, **INSIDE)
    assert public_numbers(board) == (1, 1, 1)
    flag_url = f"/projects/park/m/{board.pk}/flag/map_contribution/{pin.pk}/"
    resident = signed_in(people["boris"])
    assert "Report to a moderator" in page(board, resident)
    response = resident.post(flag_url, {"reason": "Оскорбления"})
    assert response.status_code == 302 and response["Location"].endswith(f"#c{pin.pk}")
    resident.post(flag_url, {"reason": "again"})  # refused with a message: one flag per person and item
    assert contributions.Flag.objects.filter(target="map_contribution", target_id=pin.pk).count() == 1
    # Signed out: to the sign-in page, nothing stored.
    assert Client().post(flag_url, {"reason": "x"}).status_code == 302
    assert contributions.Flag.objects.count() == 1

    moderator = signed_in(people["moderator"])
    desk = moderator.get(DESK).content.decode()
    assert "Оскорбления" in desk and HOSTILE not in desk and "&lt;script&gt;" in desk
    assert f"/projects/park/map/{board.pk}/#c{pin.pk}" in desk
    moderator.post(f"{DESK}hide/", {"target": "map_contribution", "pk": pin.pk, "reason": "Грубость"})
    pin.refresh_from_db()
    assert pin.hidden and pin.hidden_reason == "Грубость"
    assert public_numbers(board) == (0, 0, 0)
    shown = page(board)
    assert "Hidden by a moderator." in shown and "Грубость" in shown and HOSTILE not in shown
    assert not moderation.flagged(board.phase.project.municipality_id)


def test_a_moderator_hides_and_shows_a_pin_in_place(board, citizen, people):
    pin = services.contribution_add(module=board, user=citizen, sentiment=5, **INSIDE)
    moderator = signed_in(people["moderator"])
    assert "Hide (moderator)" in page(board, moderator)
    assert "Hide (moderator)" not in page(board, signed_in(people["boris"]))
    url = f"/projects/park/m/{board.pk}/moderate/map_contribution/{pin.pk}/"
    moderator.post(url, {"reason": ""})  # refused: a reason is needed
    pin.refresh_from_db()
    assert not pin.hidden
    moderator.post(url, {"reason": "Не по теме"})
    assert public_numbers(board) == (0, 0, 0)
    moderator.post(url, {"show": "1"})
    assert public_numbers(board) == (1, 1, 1)
    # A resident cannot hide.
    signed_in(people["boris"]).post(url, {"reason": "мне не нравится"})
    pin.refresh_from_db()
    assert not pin.hidden


def test_a_barred_account_cannot_pin_or_agree(board, citizen, people, city):
    other = services.contribution_add(module=board, user=people["vera"], sentiment=3, **INSIDE)
    moderation.ban_add(municipality=city, user=citizen, reason="Спам", until=None, actor=people["moderator"])
    with pytest.raises(Refused, match="barred"):
        services.contribution_add(module=board, user=citizen, sentiment=3, **INSIDE)
    with pytest.raises(Refused, match="barred"):
        services.agree(contribution=other, user=citizen)
    assert "Спам" in page(board, signed_in(citizen))
