"""The text-in desk (/backoffice/text-in/) and the keyword table: who may see and act, keywords unique per
city whatever the case, numbers only masked, barring a number, and a sender's data request (export and
erasure by number, in the audit trail without the number)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from gorod.accounts.models import User
from gorod.consultations.errors import Refused
from gorod.consultations.ideas.models import Idea
from gorod.consultations.services import module_add
from gorod.consultations.textin import services
from gorod.consultations.textin.gateways import fake
from gorod.consultations.textin.models import Keyword, NumberBan, OptOut, TextMessage
from gorod.core.models import AuditEntry
from gorod.notifications.models import Delivery
from tests.consultations.textin_helpers import send
from tests.helpers import login_verified

pytestmark = pytest.mark.usefixtures("english")
DESK = "/backoffice/text-in/"


@pytest.fixture(autouse=True)
def fake_gateway(settings):
    settings.GOROD_SMS_GATEWAY = "fake"
    fake.SENT.clear()


@pytest.fixture
def people(city):
    roles = {"moderator": User.Role.MODERATOR, "admin": User.Role.CITY_ADMIN, "auditor": User.Role.AUDITOR}
    found = {n: User.objects.create_user(username=n, password="x", role=r) for n, r in roles.items()}
    found["citizen"] = User.objects.create_user(username="cit", password="x", role=User.Role.CITIZEN)
    return found


def client_as(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user.role == User.Role.CITIZEN:
        client.force_login(user)
        return client
    return login_verified(client, user)


@pytest.fixture
def wall(make_project):
    project = make_project(state="open", slug="park", title="Park redesign")
    return module_add(phase=project.phase_list()[0], kind="idea_wall", title="Ideas for the park")


def test_keywords_are_unique_per_city_whatever_the_case(wall, people, city):
    services.keyword_add(municipality=city, word="Park", module=wall, actor=people["admin"])
    for word in ("PARK", "park", "#park"):
        with pytest.raises(Refused, match="already used"):
            services.keyword_add(municipality=city, word=word, module=wall, actor=people["admin"])
    assert list(Keyword.objects.values_list("word", flat=True)) == ["PARK"]


@pytest.mark.parametrize("word", ["", "P", "STOP", "стоп", "two words", "x" * 21, "<b>"])
def test_bad_keywords_are_refused(wall, people, city, word):
    with pytest.raises(Refused) as exc:
        services.keyword_add(municipality=city, word=word, module=wall, actor=people["admin"])
    assert exc.value.field == "word" and not Keyword.objects.exists()


def test_a_keyword_goes_only_to_an_idea_wall_or_a_qa(wall, people, city):
    info = module_add(phase=wall.phase, kind="information", title="About")
    with pytest.raises(Refused, match="idea wall or a Q&A"):
        services.keyword_add(municipality=city, word="INFO2", module=info, actor=people["admin"])
    with pytest.raises(Refused, match="Only city administrators"):
        services.keyword_add(municipality=city, word="PARK", module=wall, actor=people["moderator"])
    assert not Keyword.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("admin", 200), ("moderator", 200), ("auditor", 200), ("citizen", 403)]
)
def test_who_opens_the_desk(people, role, status, city):
    assert client_as(people[role]).get(DESK).status_code == status


def test_anonymous_is_sent_to_sign_in(db, city):
    assert Client().get(DESK).status_code == 302


def test_the_desk_adds_a_keyword_and_shows_messages_with_masked_numbers(wall, people, city):
    admin = client_as(people["admin"])
    response = admin.post(DESK, {"action": "keyword", "word": "park", "module": wall.pk})
    assert response.status_code == 302
    send(Client(), "m1", "PARK More benches by the pond")
    page = admin.get(DESK).content.decode()
    assert "PARK" in page and "More benches by the pond" in page and "+7 ••• ••• •• 34" in page
    assert "5551234" not in page
    assert "/projects/park/text-in/" in page


def test_the_desk_shows_a_refusal_and_keeps_nothing(wall, people, city):
    response = client_as(people["admin"]).post(DESK, {"action": "keyword", "word": "STOP", "module": wall.pk})
    assert response.status_code == 400 and "not STOP" in response.content.decode()
    response = client_as(people["admin"]).post(
        DESK, {"action": "keyword", "word": "OK2", "module": "999999999999999999999"}
    )
    assert response.status_code == 400
    assert client_as(people["admin"]).post(DESK, {"action": "nonsense"}).status_code == 400
    assert not Keyword.objects.exists()


def test_a_moderator_bars_a_number_from_the_desk_and_lifts_it(wall, people, city):
    services.keyword_add(municipality=city, word="PARK", module=wall, actor=people["admin"])
    send(Client(), "m1", "PARK More benches by the pond")
    message = TextMessage.objects.get()
    moderator = client_as(people["moderator"])
    assert (
        moderator.post(
            DESK, {"action": "ban", "message": message.pk, "reason": "spam", "until": "soon"}
        ).status_code
        == 400
    )
    assert not NumberBan.objects.exists()
    assert moderator.post(DESK, {"action": "ban", "message": message.pk, "reason": "spam"}).status_code == 302
    ban = NumberBan.objects.get()
    assert "+7 ••• ••• •• 34" in moderator.get(DESK).content.decode()
    # An auditor reads, does not act; an administrator may not bar (moderators do).
    assert client_as(people["auditor"]).post(DESK, {"action": "unban", "ban": ban.pk}).status_code == 400
    assert moderator.post(DESK, {"action": "unban", "ban": ban.pk}).status_code == 302
    ban.refresh_from_db()
    assert ban.lifted_at is not None
    assert AuditEntry.objects.filter(action="textin.ban").exists()


def test_a_senders_data_export_and_erasure(wall, people, city, settings):
    services.keyword_add(municipality=city, word="PARK", module=wall, actor=people["admin"])
    client = Client()
    send(client, "m1", "PARK More benches by the pond")
    send(client, "m2", "PORK typo")
    send(client, "m3", "STOP")
    send(client, "x1", "PARK Someone else's idea", sender="+79990001122")
    admin = client_as(people["admin"])
    response = admin.post(DESK, {"action": "export", "phone": "+7 (921) 555-12-34"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert [m["outcome"] for m in data["messages"]] == ["accepted", "unknown", "stop"]
    assert data["messages"][0]["contribution"]["text"] == "More benches by the pond"
    assert data["replies_stopped"] is True
    assert "Someone else" not in response.content.decode()

    assert admin.post(DESK, {"action": "erase", "phone": "+79215551234"}).status_code == 400  # not confirmed
    assert TextMessage.objects.count() == 4
    assert admin.post(DESK, {"action": "erase", "phone": "+79215551234", "confirm": "yes"}).status_code == 302
    idea = Idea.objects.get(title="—")
    assert idea.hidden and idea.hidden_reason == "Removed at its author's request." and idea.text == ""
    assert TextMessage.objects.count() == 1 and Delivery.objects.count() == 1  # the other number's
    assert OptOut.objects.count() == 1  # STOP outlives the erasure
    entries = AuditEntry.objects.filter(action__in=["textin.export", "textin.erase"])
    assert entries.count() == 2
    assert all("5551234" not in json.dumps(e.detail) + str(e.object_id) for e in entries)


def test_a_data_request_needs_a_full_number_and_an_administrator(wall, people, city):
    admin = client_as(people["admin"])
    assert admin.post(DESK, {"action": "export", "phone": "call me"}).status_code == 400
    assert (
        client_as(people["moderator"]).post(DESK, {"action": "export", "phone": "+79215551234"}).status_code
        == 400
    )


def test_the_sign_shows_the_number_and_the_projects_keywords(wall, people, city, settings):
    settings.GOROD_SMS_NUMBER = "+7 900 123-45-67"
    services.keyword_add(municipality=city, word="PARK", module=wall, actor=people["admin"])
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/projects/park/text-in/").content.decode()
    assert "+7 900 123-45-67" in page and "PARK" in page and "Ideas for the park" in page
    services.keyword_set_active(keyword=Keyword.objects.get(), active=False, actor=people["admin"])
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/projects/park/text-in/").content.decode()
    assert "does not take comments by text message" in page
    assert Client().get("/projects/nowhere/text-in/").status_code == 404


def test_the_desk_reads_in_a_fixed_number_of_queries(wall, people, city, django_assert_max_num_queries):
    services.keyword_add(municipality=city, word="PARK", module=wall, actor=people["admin"])
    client = Client()
    for n in range(5):
        send(client, f"m{n}", f"PARK idea number {n} here", sender=f"+7921555000{n}")
    admin = client_as(people["admin"])
    admin.get(DESK)
    with django_assert_max_num_queries(25):
        admin.get(DESK)
    for n in range(5, 15):
        send(client, f"m{n}", f"PARK idea number {n} here", sender=f"+792155501{n}")
    with django_assert_max_num_queries(25):
        admin.get(DESK)


def test_the_moderation_desk_sends_a_text_in_items_ban_to_the_number(wall, people, city):
    from gorod.consultations import contributions

    services.keyword_add(municipality=city, word="PARK", module=wall, actor=people["admin"])
    send(Client(HTTP_ACCEPT_LANGUAGE="en"), "m1", "PARK Buy cheap watches here")
    idea = Idea.objects.get()
    contributions.flag_add(module=wall, target="idea", item=idea, user=people["citizen"], reason="spam")
    page = client_as(people["moderator"]).get("/backoffice/projects/moderation/").content.decode()
    assert "Buy cheap watches" in page and "bar the number on the text-in desk" in page
    assert 'name="user" value="' not in page.split("Buy cheap watches")[1].split("</li>")[0]
