"""Text-in's webhook end to end through the fake gateway: a signed message becomes an idea or a question
marked "by text message" and is answered through the outbox; a forged one is refused (403) and changes
nothing; a replay changes nothing; unknown keywords, closed phases, bans, the per-number limit, STOP and
hostile input each get their answer and keep no contribution."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from gorod.consultations.ideas.models import Idea
from gorod.consultations.questions.models import Question
from gorod.consultations.services import module_add, project_update
from gorod.consultations.textin import phones, services
from gorod.consultations.textin.gateways import GatewayError, fake
from gorod.consultations.textin.models import Keyword, NumberBan, OptOut, Outcome, TextMessage
from gorod.core import clock
from gorod.notifications.models import Channel, Delivery
from tests.consultations.textin_helpers import NUMBER, send

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def fake_gateway(settings):
    settings.GOROD_SMS_GATEWAY = "fake"
    fake.SENT.clear()
    fake.FAIL.clear()
    yield
    fake.SENT.clear()
    fake.FAIL.clear()


@pytest.fixture
def wall(make_project, admin_user, city):
    project = make_project(state="open", slug="park", title="Park redesign")
    module = module_add(phase=project.phase_list()[0], kind="idea_wall", title="Ideas for the park")
    services.keyword_add(municipality=city, word="park", module=module, actor=admin_user)
    return module


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def replies() -> list[dict]:
    rows = Delivery.objects.filter(channel=Channel.SMS).order_by("pk")
    return [{"to": d.recipient, "kind": d.kind, **json.loads(d.payload)} for d in rows]


def test_a_message_becomes_an_idea_by_text_message_and_gets_one_reply(client, wall):
    response = send(client, "m1", "park More benches by the pond, please")
    assert response.status_code == 200
    idea = Idea.objects.get()
    assert (idea.title, idea.text, idea.author, idea.by_text_message) == (
        "More benches by the pond, please",
        "",
        None,
        True,
    )
    assert idea.module == wall and not idea.awaiting
    message = TextMessage.objects.get()
    assert message.outcome == Outcome.ACCEPTED and message.idea == idea and message.keyword.word == "PARK"
    [reply] = replies()
    assert reply["to"] == "+79215551234" and reply["gateway"] == "fake"
    assert "Park redesign" in reply["body"] and "/projects/park/" in reply["body"]
    page = client.get(f"/projects/park/ideas/{wall.pk}/").content.decode()
    assert "More benches by the pond" in page and "by text message" in page
    assert "5551234" not in page and "12-34" not in page


def test_the_number_is_stored_encrypted_and_found_by_its_hash(wall):
    from django.db import connection

    send(Client(), "m1", "PARK More benches by the pond")
    message = TextMessage.objects.get()
    assert message.phone == "+79215551234" and message.phone_hash == phones.lookup(NUMBER)
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM consultations_textmessage")
        stored = cursor.fetchone()[0]
        cursor.execute("SELECT recipient, payload FROM notifications_delivery")
        recipient, payload = cursor.fetchone()
    assert "5551234" not in stored and "5551234" not in recipient and "Park" not in payload


def test_a_long_message_is_an_idea_with_a_short_title_and_the_whole_text(client, wall):
    text = "Please " + "plant more lime trees along the paths " * 6
    send(client, "m1", "park " + text)
    idea = Idea.objects.get()
    assert len(idea.title) <= 120 and idea.title.endswith("…") and idea.text == text.strip()


def test_a_question_module_gets_a_question(client, make_project, admin_user, city):
    project = make_project(state="open", slug="square", title="Square")
    qa = module_add(phase=project.phase_list()[0], kind="questions", title="Ask us")
    services.keyword_add(municipality=city, word="ASK", module=qa, actor=admin_user)
    send(client, "q1", "ask When will the works start?")
    question = Question.objects.get()
    assert (
        question.text == "When will the works start?" and question.by_text_message and question.author is None
    )
    assert "by text message" in client.get(f"/projects/square/questions/{qa.pk}/").content.decode()


def test_a_forged_request_is_refused_and_changes_nothing(client, wall):
    response = send(client, "m1", "PARK forged idea here", forged=True)
    assert response.status_code == 403
    unsigned = client.post("/hooks/sms/fake/", {"id": "m2", "from": NUMBER, "text": "PARK unsigned idea"})
    assert unsigned.status_code == 403
    assert not Idea.objects.exists() and not TextMessage.objects.exists() and not Delivery.objects.exists()


def test_only_the_configured_gateway_answers(client, wall, settings):
    assert client.post("/hooks/sms/twilio/", {"Body": "PARK x"}).status_code == 404
    settings.GOROD_SMS_GATEWAY = ""
    assert send(client, "m1", "PARK text-in is off").status_code == 404
    assert client.get("/hooks/sms/fake/").status_code == 405
    assert not TextMessage.objects.exists()


def test_a_replayed_message_changes_nothing(client, wall):
    assert send(client, "m1", "PARK More benches by the pond").status_code == 200
    assert send(client, "m1", "PARK More benches by the pond").status_code == 200
    assert Idea.objects.count() == 1 and TextMessage.objects.count() == 1 and len(replies()) == 1


def test_a_replay_with_another_text_still_changes_nothing(client, wall):
    send(client, "m1", "PARK More benches by the pond")
    send(client, "m1", "PARK Something else entirely")
    assert list(Idea.objects.values_list("title", flat=True)) == ["More benches by the pond"]


def test_an_unknown_keyword_gets_a_helpful_reply_and_nothing_is_saved(client, wall):
    send(client, "m1", "PORK More benches")
    assert not Idea.objects.exists()
    message = TextMessage.objects.get()
    assert message.outcome == Outcome.UNKNOWN and message.word == "PORK"
    [reply] = replies()
    assert "PORK" in reply["body"] and "Keywords now: PARK." in reply["body"]


def test_a_keyword_alone_asks_for_the_comment(client, wall):
    send(client, "m1", "park")
    assert TextMessage.objects.get().outcome == Outcome.EMPTY and not Idea.objects.exists()
    assert "after the keyword" in replies()[0]["body"]


def test_keywords_match_whatever_the_case_and_in_russian(client, make_project, admin_user, city):
    project = make_project(state="open", slug="sad")
    module = module_add(phase=project.phase_list()[0], kind="idea_wall", title="Идеи")
    services.keyword_add(municipality=city, word="Сад", module=module, actor=admin_user)
    send(client, "m1", "САД больше скамеек у пруда")
    send(client, "m2", "сад, и фонари")
    assert Idea.objects.count() == 2
    assert "Спасибо" in replies()[0]["body"]  # answered in the language written in


def test_a_closed_phase_is_answered_and_nothing_is_saved(client, wall):
    with clock.frozen(wall.phase.ends + dt.timedelta(hours=1)):
        send(client, "m1", "PARK Late idea about benches")
    assert not Idea.objects.exists()
    assert TextMessage.objects.get().outcome == Outcome.CLOSED
    assert "closed on" in replies()[0]["body"]


def test_an_unpublished_project_takes_nothing(client, wall, admin_user):
    project_update(project=wall.phase.project, published=False)
    send(client, "m1", "PARK an idea for a hidden project")
    assert not Idea.objects.exists() and TextMessage.objects.get().outcome == Outcome.CLOSED


def test_a_switched_off_keyword_is_unknown(client, wall, admin_user):
    services.keyword_set_active(keyword=Keyword.objects.get(), active=False, actor=admin_user)
    send(client, "m1", "PARK idea after the sign came down")
    assert not Idea.objects.exists() and TextMessage.objects.get().outcome == Outcome.UNKNOWN


def test_a_premoderated_project_holds_the_idea(client, wall, admin_user):
    project_update(project=wall.phase.project, premoderated=True)
    send(client, "m1", "PARK A held idea about benches")
    idea = Idea.objects.get()
    assert idea.awaiting
    assert "once a moderator has read it" in replies()[0]["body"]
    assert "A held idea" not in client.get(f"/projects/park/ideas/{wall.pk}/").content.decode()


@pytest.mark.parametrize(
    ("text", "why"),
    [("PARK ab", "at least"), ("PARK " + "x" * 1200, "at most")],
)
def test_text_out_of_bounds_is_answered_and_not_saved(client, wall, text, why):
    send(client, "m1", text)
    assert not Idea.objects.exists() and TextMessage.objects.get().outcome == Outcome.INVALID
    assert why in replies()[0]["body"]


def test_hostile_input_is_stored_as_text_and_escaped(client, wall):
    send(client, "m1", "PARK <script>alert(1)</script>\x00 and benches")
    idea = Idea.objects.get()
    assert "\x00" not in idea.title
    page = client.get(f"/projects/park/ideas/{wall.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


@pytest.mark.parametrize(
    "fields",
    [
        {"id": "", "from": NUMBER, "text": "PARK x"},
        {"id": "m1", "from": "", "text": "PARK x"},
        {"id": "m1", "from": "not a number", "text": "PARK xyz"},
        {"id": "m" * 65, "from": NUMBER, "text": "x"},
    ],
)
def test_a_signed_but_unreadable_request_is_400_and_saves_nothing(client, wall, fields):
    response = client.post("/hooks/sms/fake/", fields, HTTP_X_FAKE_SIGNATURE=fake.sign(fields))
    assert response.status_code == 400
    assert not TextMessage.objects.exists() and not Idea.objects.exists() and not Delivery.objects.exists()


def test_stop_ends_replies_and_start_brings_them_back(client, wall):
    send(client, "m1", "STOP")
    assert OptOut.objects.filter(phone_hash=phones.lookup(NUMBER)).exists()
    assert [r["kind"] for r in replies()] == ["textin-stop"]  # the one confirmation
    send(client, "m2", "PARK Benches, but no reply please")
    assert Idea.objects.count() == 1 and len(replies()) == 1  # taken, not answered
    send(client, "m3", "Старт")
    assert not OptOut.objects.exists()
    send(client, "m4", "PARK And now a reply")
    assert [r["kind"] for r in replies()] == ["textin-stop", "textin-start", "textin-accepted"]
    assert "Ответы снова" in replies()[1]["body"]


def test_help_lists_the_keywords(client, wall):
    send(client, "m1", "help")
    assert "PARK" in replies()[0]["body"] and TextMessage.objects.get().outcome == Outcome.HELP


def test_an_empty_message_gets_the_help(client, wall):
    send(client, "m1", "   ")
    assert TextMessage.objects.get().outcome == Outcome.UNKNOWN and "PARK" in replies()[0]["body"]


def test_stop_is_confirmed_once(client, wall):
    for n in range(3):
        send(client, f"s{n}", "STOP")
    assert len(replies()) == 1 and OptOut.objects.count() == 1


def test_a_barred_number_is_told_and_nothing_is_saved(client, wall, city):
    from gorod.accounts.models import User

    moderator = User.objects.create_user(username="mod", password="x", role=User.Role.MODERATOR)
    send(client, "m1", "PARK First idea about benches")
    ban = services.number_ban(
        message=TextMessage.objects.get(), reason="insults", until=None, actor=moderator
    )
    assert ban.shown_as == "+7 ••• ••• •• 34"
    send(client, "m2", "PARK Second idea about benches")
    assert Idea.objects.count() == 1
    assert TextMessage.objects.get(message_id="m2").outcome == Outcome.BARRED
    assert "insults" in replies()[-1]["body"]
    send(client, "m3", "PARK Other number", sender="+79990001122")
    assert Idea.objects.count() == 2
    services.number_unban(ban=ban, actor=moderator)
    send(client, "m4", "PARK After the ban was lifted")
    assert Idea.objects.count() == 3


def test_a_ban_with_an_end_expires_by_the_clock(client, wall):
    from gorod.accounts.models import User

    moderator = User.objects.create_user(username="mod", password="x", role=User.Role.MODERATOR)
    send(client, "m1", "PARK First idea about benches")
    until = clock.now() + dt.timedelta(days=1)
    services.number_ban(message=TextMessage.objects.get(), reason="spam", until=until, actor=moderator)
    send(client, "m2", "PARK still barred now")
    with clock.frozen(until + dt.timedelta(minutes=1)):
        send(client, "m3", "PARK the ban has ended")
    assert list(TextMessage.objects.order_by("pk").values_list("outcome", flat=True)) == [
        Outcome.ACCEPTED,
        Outcome.BARRED,
        Outcome.ACCEPTED,
    ]


def test_only_moderators_bar_numbers_and_a_reason_is_needed(wall, admin_user, citizen):
    send(Client(HTTP_ACCEPT_LANGUAGE="en"), "m1", "PARK First idea about benches")
    message = TextMessage.objects.get()
    with pytest.raises(services.Refused):
        services.number_ban(message=message, reason="x", until=None, actor=citizen)
    with pytest.raises(services.Refused, match="Say why"):
        services.number_ban(message=message, reason=" ", until=None, actor=admin_user)
    assert not NumberBan.objects.exists()


def test_the_rate_limit_counts_per_number_and_sends_no_reply_past_it(client, wall, write_limits):
    write_limits.GOROD_RATE_LIMITS = {**write_limits.GOROD_RATE_LIMITS, "contribution": "2/10m"}
    for n in range(4):
        send(client, f"m{n}", f"PARK idea number {n} here")
    send(client, "other", "PARK another number's idea", sender="+79990001122")
    assert Idea.objects.count() == 3
    outcomes = list(TextMessage.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == [Outcome.ACCEPTED] * 2 + [Outcome.LIMITED] * 2 + [Outcome.ACCEPTED]
    assert len(replies()) == 3
    with clock.frozen(clock.now() + dt.timedelta(minutes=11)):
        send(client, "m9", "PARK a later idea here")
    assert Idea.objects.count() == 4


def test_a_failing_reply_rolls_nothing_back_and_the_message_stays_taken(client, wall, monkeypatch):
    # The reply is an outbox row: a gateway that is down later does not undo the contribution.
    send(client, "m1", "PARK More benches by the pond")
    from gorod.notifications import delivery

    fake.FAIL.append(GatewayError("down"))
    delivery.deliver_due()
    assert Idea.objects.count() == 1
    row = Delivery.objects.get()
    assert row.state == Delivery.State.PENDING and row.attempts == 1 and row.last_error == "down"
    delivery.deliver_due(row.next_attempt_at)
    row.refresh_from_db()
    assert row.state == Delivery.State.SENT and len(fake.SENT) == 1


def test_the_worker_sends_the_reply_through_the_gateway_once(client, wall):
    from gorod.notifications import delivery

    send(client, "m1", "PARK More benches by the pond")
    assert delivery.deliver_due() == 1
    assert delivery.deliver_due() == 0
    [sent] = fake.SENT
    assert sent["to"] == "+79215551234" and "Park redesign" in sent["body"]
    assert Delivery.objects.get().state == Delivery.State.SENT


def test_a_permanent_refusal_of_the_number_kills_the_delivery(client, wall):
    from gorod.notifications import delivery

    send(client, "m1", "PARK More benches by the pond")
    fake.FAIL.append(GatewayError("Twilio HTTP 400 code 21610", permanent=True))
    delivery.deliver_due()
    row = Delivery.objects.get()
    assert row.state == Delivery.State.DEAD and "21610" in row.last_error and "5551234" not in row.last_error


def test_logs_never_name_the_number(client, wall, caplog):
    caplog.set_level("DEBUG")
    send(client, "m1", "PARK More benches by the pond")
    send(client, "m1", "PARK More benches by the pond")
    send(client, "m2", "PARK forged", forged=True)
    text = caplog.text
    assert "5551234" not in text and "12-34" not in text and "benches" not in text
