"""The moderation desk of engagement projects: who may see and act, flags from every registered module,
pre-moderation, hide-with-reason in place, barred accounts (expiry by core.clock) and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gorod.accounts.models import User
from gorod.consultations import contributions, moderation
from gorod.consultations.errors import Refused
from gorod.consultations.ideas.services import idea_comment, idea_post
from gorod.consultations.models import Module
from gorod.consultations.questions.services import answer_post, question_ask
from gorod.consultations.services import module_add, project_update
from gorod.core import clock
from gorod.core.models import AuditEntry
from tests.helpers import login_verified

DESK = "/backoffice/projects/moderation/"
ROLES = {
    "moderator": (User.Role.MODERATOR, None),
    "admin": (User.Role.CITY_ADMIN, None),
    "auditor": (User.Role.AUDITOR, None),
    "executor": (User.Role.EXECUTOR, "roads"),
    "citizen": (User.Role.CITIZEN, None),
}


@pytest.fixture
def people(city):
    departments = {d.slug: d for d in city.departments.all()}
    return {
        name: User.objects.create_user(
            username=name,
            email=f"{name}@example.org",
            password="x",
            role=role,
            department=departments.get(dep) if dep else None,
        )
        for name, (role, dep) in ROLES.items()
    }


def client_as(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user.role == User.Role.CITIZEN:
        client.force_login(user)
        return client
    return login_verified(client, user)


@pytest.fixture
def qa(make_project):
    phase = make_project(state="open", slug="park").phase_list()[0]
    return module_add(phase=phase, kind="questions", title="Ask us")


@pytest.fixture
def wall(make_project):
    phase = make_project(state="open", slug="square").phase_list()[0]
    return module_add(phase=phase, kind="idea_wall", title="Ideas")


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("role", "status", "may_act"),
    [("moderator", 200, True), ("admin", 200, True), ("auditor", 200, False), ("executor", 403, False)],
)
def test_desk_access_by_role(people, qa, citizen, role, status, may_act):
    question = question_ask(module=qa, user=citizen, text="Why is the park <b>closed</b>?")
    contributions.flag_add(module=qa, target="question", item=question, user=people["citizen"], reason="rude")
    client = client_as(people[role])
    response = client.get(DESK)
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Why is the park &lt;b&gt;closed&lt;/b&gt;?" in page
        assert ("Keep and close the flags" in page) is may_act
    posted = client.post(f"{DESK}hide/", {"target": "question", "pk": question.pk, "reason": "Off topic"})
    assert posted.status_code == (302 if may_act else 403)
    question.refresh_from_db()
    assert question.hidden is may_act


def test_a_resident_and_a_visitor_never_reach_the_desk(people, client):
    assert client_as(people["citizen"]).get(DESK).status_code == 403
    posted = client_as(people["citizen"]).post(f"{DESK}ban/", {"user": people["citizen"].pk, "reason": "x"})
    assert posted.status_code == 403
    assert client.get(DESK).status_code == 302  # to the sign-in page
    assert not moderation.Ban.objects.exists()


@pytest.mark.usefixtures("english")
def test_the_queue_lists_flags_of_every_kind_oldest_first_with_counts_and_reasons(
    people, qa, wall, citizen, frozen_spring
):
    idea = idea_post(module=wall, user=citizen, title="A fountain please")
    with clock.frozen(frozen_spring - dt.timedelta(days=2)):
        question = question_ask(module=qa, user=citizen, text="An older flagged question?")
        contributions.flag_add(
            module=qa, target="question", item=question, user=people["auditor"], reason="spam"
        )
    contributions.flag_add(module=wall, target="idea", item=idea, user=people["auditor"], reason="")
    contributions.flag_add(module=qa, target="question", item=question, user=people["executor"], reason="ads")
    rows = moderation.flagged(qa.phase.project.municipality_id)
    assert [(r.target, r.item.pk, r.flag_count) for r in rows] == [
        ("question", question.pk, 2),
        ("idea", idea.pk, 1),
    ]
    assert rows[0].reasons == ["spam", "ads"]
    page = client_as(people["moderator"]).get(DESK).content.decode()
    assert page.index("An older flagged question?") < page.index("A fountain please")

    contributions.keep(item=idea, actor=people["moderator"])
    assert [r.target for r in moderation.flagged(qa.phase.project.municipality_id)] == ["question"]
    assert AuditEntry.objects.filter(action="consultations.keep", object_id=str(idea.pk)).exists()


@pytest.mark.usefixtures("english")
def test_hide_shows_the_reason_in_place_and_is_audited(people, qa, citizen):
    question = question_ask(module=qa, user=citizen, text="A question to hide later?")
    contributions.flag_add(module=qa, target="question", item=question, user=people["executor"])
    client = client_as(people["moderator"])
    client.post(
        f"{DESK}hide/", {"target": "question", "pk": question.pk, "reason": "Insults <script>x</script>"}
    )
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/projects/park/questions/{qa.pk}/").content.decode()
    assert "Hidden by a moderator." in page
    assert "Insults &lt;script&gt;x&lt;/script&gt;" in page
    assert "A question to hide later?" not in page
    entry = AuditEntry.objects.get(action="consultations.hide")
    assert entry.actor_id == people["moderator"].pk and entry.detail == {"flags_resolved": 1}
    assert "Insults" not in str(entry.detail)  # ids and counts only
    assert moderation.flagged(qa.phase.project.municipality_id) == []


def test_hide_without_a_reason_or_of_an_unknown_item_changes_nothing(people, qa, citizen):
    question = question_ask(module=qa, user=citizen, text="Stays visible, right?")
    client = client_as(people["moderator"])
    for data in (
        {"target": "question", "pk": question.pk, "reason": "  "},
        {"target": "nothing", "pk": question.pk, "reason": "x"},
        {"target": "question", "pk": "abc", "reason": "x"},
        {"target": "question", "pk": 10**9, "reason": "x"},
    ):
        assert client.post(f"{DESK}hide/", data).status_code == 302
    question.refresh_from_db()
    assert not question.hidden
    assert client.post(f"{DESK}explode/", {}).status_code == 404
    assert not AuditEntry.objects.filter(action__startswith="consultations.").exists()


@pytest.mark.usefixtures("english")
def test_premoderation_holds_contributions_until_published(people, qa, wall, citizen):
    project_update(project=qa.phase.project, premoderated=True)
    project_update(project=wall.phase.project, premoderated=True)
    qa, wall = Module.objects.get(pk=qa.pk), Module.objects.get(pk=wall.pk)  # as a request loads them
    question = question_ask(module=qa, user=citizen, text="Held for a moderator?")
    idea = idea_post(module=wall, user=citizen, title="Held idea")
    assert question.awaiting and idea.awaiting
    url = f"/projects/park/questions/{qa.pk}/"
    assert "Held for a moderator?" not in Client().get(url).content.decode()
    assert "Held for a moderator?" not in client_as(people["executor"]).get(url).content.decode()
    own = client_as(citizen).get(url).content.decode()
    assert "Held for a moderator?" in own and "Awaiting moderation." in own
    # Nobody can upvote or answer what is not published yet.
    with pytest.raises(Refused):
        answer_post(question=question, user=people["moderator"], text="Not before it is published.")

    desk = client_as(people["moderator"]).get(DESK).content.decode()
    assert "Held for a moderator?" in desk and "Held idea" in desk
    client_as(people["moderator"]).post(f"{DESK}publish/", {"target": "question", "pk": question.pk})
    page = Client().get(url).content.decode()
    assert "Held for a moderator?" in page and "Awaiting moderation." not in page
    assert AuditEntry.objects.filter(action="consultations.publish", object_id=str(question.pk)).exists()
    # Publishing twice is refused, nothing more is audited.
    client_as(people["moderator"]).post(f"{DESK}publish/", {"target": "question", "pk": question.pk})
    assert AuditEntry.objects.filter(action="consultations.publish").count() == 1
    # Comments in a pre-moderated project are held too; a moderator's own answer is not.
    client_as(people["moderator"]).post(f"{DESK}publish/", {"target": "idea", "pk": idea.pk})
    idea.refresh_from_db()
    question.refresh_from_db()
    comment = idea_comment(idea=idea, user=people["executor"], text="A held comment")
    assert comment.awaiting
    answer = answer_post(question=question, user=people["moderator"], text="Answered straight away.")
    assert not answer.awaiting
    # A department's answer is held, as its answers to reports are where answers are checked.
    held = answer_post(question=question, user=people["executor"], text="A department answer, held.")
    assert held.awaiting
    assert "A department answer, held." not in Client().get(url).content.decode()
    client_as(people["moderator"]).post(f"{DESK}publish/", {"target": "answer", "pk": held.pk})
    assert "A department answer, held." in Client().get(url).content.decode()


def test_without_premoderation_contributions_are_published_at_once(qa, citizen):
    assert not question_ask(module=qa, user=citizen, text="Straight onto the page?").awaiting


@pytest.mark.usefixtures("english")
def test_a_barred_account_is_refused_until_the_ban_ends(people, qa, citizen, frozen_spring):
    question = question_ask(module=qa, user=people["executor"], text="Somebody else's question?")
    moderator = client_as(people["moderator"])
    until = (frozen_spring + dt.timedelta(days=3)).date().isoformat()
    moderator.post(f"{DESK}ban/", {"user": citizen.pk, "reason": "Repeated insults", "until": until})
    ban = moderation.Ban.objects.get(user=citizen)
    entry = AuditEntry.objects.get(action="consultations.ban")
    assert entry.object_id == str(citizen.pk) and entry.detail == {"ban": ban.pk, "has_end": True}

    with pytest.raises(Refused, match="Repeated insults"):
        question_ask(module=qa, user=citizen, text="Can I still ask this?")
    from gorod.consultations.questions.services import question_upvote

    with pytest.raises(Refused, match="barred"):
        question_upvote(question=question, user=citizen)
    response = client_as(citizen).post(
        f"/projects/park/questions/{qa.pk}/ask/", {"text": "Through the page then?"}, follow=True
    )
    assert "barred your account" in response.content.decode()
    assert not qa.questions.filter(author=citizen).exists()
    # Reading stays open.
    assert Client().get(f"/projects/park/questions/{qa.pk}/").status_code == 200

    with clock.frozen(frozen_spring + dt.timedelta(days=4)):
        assert question_ask(module=qa, user=citizen, text="The ban has ended, has it?")


def test_ban_refusals_and_lifting(people, qa, citizen, city, frozen_spring):
    mod = people["moderator"]
    with pytest.raises(Refused):
        moderation.ban_add(municipality=city, user=citizen, reason=" ", until=None, actor=mod)
    with pytest.raises(Refused):
        moderation.ban_add(municipality=city, user=citizen, reason="x", until=frozen_spring, actor=mod)
    with pytest.raises(Refused):
        moderation.ban_add(municipality=city, user=people["executor"], reason="x", until=None, actor=mod)
    with pytest.raises(Refused):
        moderation.ban_add(municipality=city, user=citizen, reason="x", until=None, actor=people["auditor"])
    client = client_as(mod)
    client.post(f"{DESK}ban/", {"user": citizen.pk, "reason": "x", "until": "31.12.2030"})
    client.post(f"{DESK}ban/", {"user": "nobody", "reason": "x"})
    assert not moderation.Ban.objects.exists()

    ban = moderation.ban_add(municipality=city, user=citizen, reason="For good", until=None, actor=mod)
    with pytest.raises(Refused):
        question_ask(module=qa, user=citizen, text="Still barred, am I?")
    client.post(f"{DESK}unban/", {"pk": ban.pk})
    assert question_ask(module=qa, user=citizen, text="Lifted now, am I?")
    assert AuditEntry.objects.filter(action="consultations.unban", object_id=str(citizen.pk)).exists()


def test_the_desk_is_pinned(people, qa, wall, city, frozen_spring):
    """Flags of questions, answers and ideas, held comments and bans: the same queries for 2 as for 20."""
    from itertools import count

    from gorod.consultations.ideas.models import IdeaComment
    from tests.query_counts import assert_pinned, get, growing

    numbers = count()

    def add(k: int) -> None:
        for _ in range(k):
            n = next(numbers)
            author = User.objects.create_user(username=f"a{n}", password="x", role=User.Role.CITIZEN)
            flagger = User.objects.create_user(username=f"f{n}", password="x", role=User.Role.CITIZEN)
            question = question_ask(module=qa, user=author, text=f"Question number {n}?")
            answer = answer_post(question=question, user=people["moderator"], text=f"Answer number {n}.")
            idea = idea_post(module=wall, user=author, title=f"Idea {n}")
            for target, item, module in (
                ("question", question, qa),
                ("answer", answer, qa),
                ("idea", idea, wall),
            ):
                contributions.flag_add(module=module, target=target, item=item, user=flagger, reason="why")
            comment = idea_comment(idea=idea, user=flagger, text=f"Comment {n}")
            IdeaComment.objects.filter(pk=comment.pk).update(awaiting=True)
            moderation.ban_add(
                municipality=city, user=flagger, reason="r", until=None, actor=people["moderator"]
            )

    client = client_as(people["moderator"])
    # session, user, device, municipality; flag groups, the flagged items of each kind (3), their reasons;
    # held items of each registered kind (with paragraph comments, map contributions, opinion statements,
    # the 3D model's and rooms' pins and replies); bans.
    client.get(DESK)  # the city's calendar is cached by the first back-office page
    assert_pinned(21, growing(add, get(client, DESK)))


def test_the_ban_refusal_reads_in_russian(people, qa, citizen, city):
    from django.utils import translation

    moderation.ban_add(municipality=city, user=citizen, reason="Спам", until=None, actor=people["moderator"])
    with translation.override("ru"), pytest.raises(Refused) as refused:
        question_ask(module=qa, user=citizen, text="Можно ли ещё спросить?")
    assert (
        refused.value.message == "Модератор запретил вашей учётной записи участвовать в проектах города: Спам"
    )
