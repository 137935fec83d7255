"""Demographics: asked once per account, stored apart from contributions, shown to staff only as counts
per project and only where at least MIN_GROUP participants answered; a person's answers appear in their
own data export and nowhere else."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client

from gorod.accounts.models import User
from gorod.consultations import contributions, demographics
from gorod.consultations.demographics import DemographicAnswer, DemographicQuestion
from gorod.consultations.errors import Refused
from gorod.consultations.services import participation_record
from tests.helpers import login_verified

AGES = ["under 18", "18-34", "35-64", "65 and over"]


@pytest.fixture
def age(city):
    return DemographicQuestion.objects.create(municipality=city, key="age", label="Your age", choices=AGES)


def residents(n: int, prefix: str = "zq-person-") -> list[User]:
    # A prefix no page could spell by chance (a CSRF token once held "r1").
    return [
        User.objects.create_user(username=f"{prefix}{i}", password="x", role=User.Role.CITIZEN)
        for i in range(n)
    ]


@pytest.mark.usefixtures("english")  # the refusal is matched in English
def test_answers_are_asked_once_and_checked(city, age, citizen):
    with pytest.raises(Refused):
        demographics.answers_save(municipality=city, user=citizen, answers={"age": "42"})
    with pytest.raises(Refused):
        demographics.answers_save(municipality=city, user=citizen, answers={"income": "high"})
    assert not DemographicAnswer.objects.exists()
    assert demographics.answers_save(municipality=city, user=citizen, answers={"age": "18-34"}) == 1
    with pytest.raises(Refused, match="already"):
        demographics.answers_save(municipality=city, user=citizen, answers={"age": "35-64"})
    assert list(DemographicAnswer.objects.values_list("choice", flat=True)) == ["18-34"]


def test_prefer_not_to_say_stores_nothing(city, age, citizen):
    assert demographics.answers_save(municipality=city, user=citizen, answers={"age": ""}) == 0


@pytest.mark.usefixtures("english")
def test_aggregates_are_hidden_under_25_and_shown_from_25(city, age, make_project):
    project = make_project(slug="park")
    people = residents(25)
    for i, person in enumerate(people[:24]):
        participation_record(project=project, user=person)
        demographics.answers_save(municipality=city, user=person, answers={"age": AGES[i % 2]})
    # Answers of people who did not take part in this project do not count for it.
    for outsider in residents(5, prefix="zq-outsider-"):
        demographics.answers_save(municipality=city, user=outsider, answers={"age": "65 and over"})
    [agg] = demographics.project_aggregates(project)
    assert agg.rows is None and agg.answered == 0

    moderator = User.objects.create_user(username="mod", password="x", role=User.Role.MODERATOR)
    client = login_verified(Client(HTTP_ACCEPT_LANGUAGE="en"), moderator)
    page = client.get("/backoffice/projects/park/demographics/").content.decode()
    assert "Fewer than 25 participants answered: not shown." in page
    assert "18-34" not in page

    participation_record(project=project, user=people[24])
    demographics.answers_save(municipality=city, user=people[24], answers={"age": "35-64"})
    [agg] = demographics.project_aggregates(project)
    assert agg.rows == [("under 18", 12), ("18-34", 12), ("35-64", 1), ("65 and over", 0)]
    page = client.get("/backoffice/projects/park/demographics/").content.decode()
    assert "25 participants answered." in page
    # Counts only: no account name on the page.
    assert all(p.username not in page for p in people)


def test_demographics_page_is_staff_only(city, age, make_project, citizen):
    make_project(slug="park")
    client = Client()
    client.force_login(citizen)
    assert client.get("/backoffice/projects/park/demographics/").status_code == 403


def test_no_contribution_links_to_demographics():
    """Stored apart: no model but DemographicAnswer points at the demographic tables, and no moderatable
    contribution model has a field about them."""
    demo_models = {DemographicQuestion, DemographicAnswer}
    for model in apps.get_models():
        if model in demo_models:
            continue
        for field in model._meta.get_fields():
            assert getattr(field, "related_model", None) not in demo_models, (model, field.name)
    for entry in contributions.REGISTRY.values():
        names = {f.name for f in entry.model._meta.get_fields()}
        assert not names & {"age", "gender", "demographics", "choice"}


@pytest.mark.usefixtures("english")
def test_own_answers_only_in_own_export_and_the_form_shows_no_answers(city, age, citizen):
    from gorod.privacy.selectors import account_data

    other = residents(1)[0]
    demographics.answers_save(municipality=city, user=citizen, answers={"age": "65 and over"})
    demographics.answers_save(municipality=city, user=other, answers={"age": "under 18"})
    mine = account_data(citizen, [], {}, [])
    assert mine["about_you"] == [{"question": "Your age", "answer": "65 and over"}]
    assert "under 18" not in str(mine)
    assert account_data(other, [], {}, [])["about_you"] == [{"question": "Your age", "answer": "under 18"}]

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(citizen)
    page = client.get("/projects/about-you/").content.decode()
    assert "You have answered these questions." in page
    assert "checked" not in page  # the stored answer is not echoed back on a page


@pytest.mark.usefixtures("english")
def test_the_form_stores_answers_once_and_refuses_forged_values(city, age, citizen):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.get("/projects/about-you/").status_code == 302  # sign in first
    client.force_login(citizen)
    page = client.get("/projects/about-you/").content.decode()
    assert "Your age" in page and "Prefer not to say" in page
    response = client.post("/projects/about-you/", {"age": "<script>1</script>"}, follow=True)
    assert "Choose one of the answers offered." in response.content.decode()
    assert not DemographicAnswer.objects.exists()
    client.post("/projects/about-you/", {"age": "18-34"})
    client.post("/projects/about-you/", {"age": "35-64"})
    assert list(DemographicAnswer.objects.values_list("choice", flat=True)) == ["18-34"]
