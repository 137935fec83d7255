"""A resident's consultation contributions in their data export and in erasure: every module's writing,
votes, flags, participations and survey answers of a survey that names people are exported with their
moderation state; an anonymous survey's answers never are (only that the person answered). Erasure keeps
published and hidden contributions without their author (hidden stays hidden, with its reason), removes
what still awaited pre-moderation, votes (the map's agreement count follows) and flags, and unlinks a
named survey response; an anonymous response is left exactly as it was."""

from __future__ import annotations

import json

import pytest

from gorod.accounts.models import User
from gorod.consultations import contributions, moderation
from gorod.consultations.demographics import DemographicAnswer, DemographicQuestion
from gorod.consultations.ideas.models import Idea, IdeaComment, IdeaSupport
from gorod.consultations.ideas.services import idea_comment, idea_post, idea_support
from gorod.consultations.map_feedback import services as map_services
from gorod.consultations.map_feedback.models import MapAgreement, MapContribution
from gorod.consultations.models import Module, Participation
from gorod.consultations.questions.models import Answer, Question, QuestionUpvote
from gorod.consultations.questions.services import answer_post, question_ask, question_upvote
from gorod.consultations.services import module_add, project_update
from gorod.consultations.surveys.models import SurveyAnswer, SurveyParticipant, SurveyResponse
from gorod.consultations.surveys.services import response_submit
from gorod.consultations.text_review.models import ParagraphComment
from gorod.consultations.text_review.services import draft_set, paragraph_comment
from gorod.core.models import AuditEntry
from gorod.privacy.selectors import account_export
from gorod.privacy.services import account_erase
from tests.accounts.conftest import PASSWORD
from tests.consultations.survey_helpers import answers, make_survey

INSIDE = {"lat": 59.985, "lon": 30.26}
DARK, RUDE = "Тёмная аллея", "Грубость"
ANONYMOUS_TEXT = "Мой анонимный ответ: у дома 5 темно"
NAMED_TEXT = "Мой именной ответ про скамейки"


@pytest.fixture
def people(city):
    def make(name: str, role: str = User.Role.CITIZEN) -> User:
        return User.objects.create_user(
            username=name, password=PASSWORD, role=role, email=f"{name}@example.org"
        )

    return {"anna": make("anna2"), "boris": make("boris"), "mod": make("moder", User.Role.MODERATOR)}


@pytest.fixture
def world(make_project, admin_user, people):
    """Anna takes part in every module of one project; Boris agrees, upvotes and supports hers and she
    his; one of hers is hidden, one awaits pre-moderation."""
    anna, boris, mod = people["anna"], people["boris"], people["mod"]
    phase = make_project(state="open", slug="park").phase_list()[0]
    board = module_add(phase=phase, kind="map_feedback", title="Map")
    qa = module_add(phase=phase, kind="questions", title="Q&A")
    wall = module_add(phase=phase, kind="idea_wall", title="Ideas")
    draft = module_add(phase=phase, kind="text_review", title="Rules")
    paragraph = draft_set(module=draft, actor=admin_user, text="Dogs on a lead.\n\nNo fires.")[0]
    named, q_named = make_survey(phase, admin_user)
    anonymous, q_anon = make_survey(phase, admin_user, anonymous=True)

    def pin(**fields):
        return map_services.contribution_add(module=board, **INSIDE, **fields)

    made = {
        "pin": pin(user=anna, sentiment=2, comment=DARK),
        "hidden_pin": pin(user=anna, sentiment=1, comment=RUDE),
        "boris_pin": pin(user=boris, sentiment=4),
        "question": question_ask(module=qa, user=anna, text="Когда откроют фонтан?"),
        "idea": idea_post(module=wall, user=anna, title="Площадка для собак", text="У пруда"),
        "boris_idea": idea_post(module=wall, user=boris, title="Больше скамеек"),
        "paragraph_comment": paragraph_comment(paragraph=paragraph, user=anna, text="А если на поводке?"),
    }  # fmt: skip
    map_services.agree(contribution=made["boris_pin"], user=anna)
    map_services.agree(contribution=made["pin"], user=boris)
    question_upvote(question=made["question"], user=boris)
    idea_support(idea=made["boris_idea"], user=anna)
    made["comment"] = idea_comment(idea=made["boris_idea"], user=anna, text="Поддерживаю, у входа")
    made["answer"] = answer_post(question=made["question"], user=mod, text="Фонтан откроют в мае.")
    map_services.hide(contribution=made["hidden_pin"], staff=mod, reason="Оскорбление")
    contributions.flag_add(module=wall, target="idea", item=made["boris_idea"], user=anna, reason="Дубль")
    response_submit(module=named, user=anna, answers=answers(q_named, text=NAMED_TEXT))
    response_submit(module=anonymous, user=anna, answers=answers(q_anon, text=ANONYMOUS_TEXT))
    question = DemographicQuestion.objects.create(
        municipality=phase.project.municipality, key="age", label="Age", choices=["18–34", "35–64"]
    )
    DemographicAnswer.objects.create(question=question, user=anna, choice="18–34")
    # Pre-moderation from now on: her next idea waits for a moderator.
    project_update(project=phase.project, premoderated=True)
    made["held_idea"] = idea_post(module=Module.objects.get(pk=wall.pk), user=anna, title="Ждёт модератора")
    contributions.flag_add(module=wall, target="idea", item=made["held_idea"], user=boris, reason="Спам")
    made["anonymous"], made["named"] = anonymous, named
    return made


def test_the_export_holds_every_consultation_contribution_of_the_person(world, people):
    data = account_export(people["anna"]).data
    mine = data["consultations"]
    assert [(p["comment"], p["state"]) for p in mine["map_feedback"]] == [
        ("Тёмная аллея", "published"),
        ("Грубость", "hidden"),
    ]
    assert mine["map_feedback"][1]["hidden_reason"] == "Оскорбление"
    assert (
        mine["map_feedback"][0]["geometry"]["type"] == "Point"
        and mine["map_feedback"][0]["project"] == "park"
    )
    assert [q["text"] for q in mine["questions"]] == ["Когда откроют фонтан?"]
    assert [(i["title"], i["state"]) for i in mine["ideas"]] == [
        ("Площадка для собак", "published"),
        ("Ждёт модератора", "awaiting moderation"),
    ]
    assert [c["text"] for c in mine["idea_comments"]] == ["Поддерживаю, у входа"]
    assert [c["text"] for c in mine["paragraph_comments"]] == ["А если на поводке?"]
    assert [a["on"] for a in mine["map_agreements"]] == [world["boris_pin"].pk]
    assert [s["on"] for s in mine["idea_supports"]] == [world["boris_idea"].pk]
    assert mine["question_upvotes"] == []  # Boris upvoted hers; hers to give were none
    assert [(f["kind"], f["on"], f["reason"]) for f in mine["flags"]] == [
        ("idea", world["boris_idea"].pk, "Дубль")
    ]
    assert [p["project"] for p in mine["participations"]] == ["park"]
    assert data["about_you"] == [{"question": "Age", "answer": "18–34"}]
    # The survey that names people: her answers, question by question.
    (response,) = mine["survey_responses"]
    assert {"question": "Anything else?", "answer": NAMED_TEXT} in response["answers"]
    assert {"question": "What first?", "answer": "Benches > Lights > Paths"} in response["answers"]
    # The anonymous one: only that she answered it.
    assert sorted((s["module"], s["anonymous"]) for s in mine["surveys_answered"]) == sorted(
        [(world["named"].pk, False), (world["anonymous"].pk, True)]
    )
    dumped = json.dumps(data, ensure_ascii=False)
    assert ANONYMOUS_TEXT not in dumped
    # Nobody else's writing is in her export (the official answer to her question is the moderator's).
    assert "Фонтан откроют в мае." not in dumped and "Больше скамеек" not in dumped
    staff_answers = account_export(people["mod"]).data["consultations"]["answers"]
    assert [(a["text"], a["official"]) for a in staff_answers] == [("Фонтан откроют в мае.", True)]


def test_erasure_unlinks_contributions_and_removes_votes_and_what_was_never_published(world, people):
    anna = people["anna"]
    anonymous_before = list(
        SurveyAnswer.objects.filter(response__module=world["anonymous"]).values_list(
            "pk", "response_id", "text"
        )
    )
    anonymous_responses = list(
        SurveyResponse.objects.filter(module=world["anonymous"]).values("pk", "created")
    )
    account_erase(user=anna, password=PASSWORD)

    for model, item in (
        (MapContribution, world["pin"]),
        (MapContribution, world["hidden_pin"]),
        (Question, world["question"]),
        (Idea, world["idea"]),
        (IdeaComment, world["comment"]),
        (ParagraphComment, world["paragraph_comment"]),
    ):
        kept = model.objects.get(pk=item.pk)
        assert kept.author_id is None, model
    hidden = MapContribution.objects.get(pk=world["hidden_pin"].pk)
    assert hidden.hidden and hidden.hidden_reason == "Оскорбление" and hidden.comment == "Грубость"
    assert Question.objects.get(pk=world["question"].pk).text == "Когда откроют фонтан?"
    assert Answer.objects.get(pk=world["answer"].pk).author == people["mod"]
    # Never published: gone, and the flag on it leaves the desk.
    assert not Idea.objects.filter(pk=world["held_idea"].pk).exists()
    assert not contributions.Flag.objects.filter(target_id=world["held_idea"].pk, target="idea").exists()
    assert not moderation.flagged(world["pin"].module.phase.project.municipality_id)
    # Her votes go; the map's stored count follows. Boris's agreement with her pin stays.
    assert not MapAgreement.objects.filter(user_id=anna.pk).exists()
    assert MapContribution.objects.get(pk=world["boris_pin"].pk).agree_count == 0
    assert MapContribution.objects.get(pk=world["pin"].pk).agree_count == 1
    assert not IdeaSupport.objects.filter(user_id=anna.pk).exists()
    assert QuestionUpvote.objects.filter(question=world["question"]).count() == 1  # Boris's
    assert not Participation.objects.filter(user_id=anna.pk).exists()
    assert not SurveyParticipant.objects.filter(user_id=anna.pk).exists()
    assert not DemographicAnswer.objects.filter(user_id=anna.pk).exists()
    # The named response stays in the results without her; the anonymous one is untouched.
    named = SurveyResponse.objects.get(module=world["named"])
    assert named.user_id is None
    assert SurveyAnswer.objects.filter(response=named, text=NAMED_TEXT).exists()
    assert (
        list(
            SurveyAnswer.objects.filter(response__module=world["anonymous"]).values_list(
                "pk", "response_id", "text"
            )
        )
        == anonymous_before
    )
    assert (
        list(SurveyResponse.objects.filter(module=world["anonymous"]).values("pk", "created"))
        == anonymous_responses
    )
    entry = AuditEntry.objects.get(action="account.erase")
    assert entry.detail["consultation_map_feedback"] == 2 and entry.detail["consultation_ideas"] == 2
    assert entry.detail["consultation_map_agreements"] == 1
    assert "Тёмная аллея" not in json.dumps(entry.detail, ensure_ascii=False)
