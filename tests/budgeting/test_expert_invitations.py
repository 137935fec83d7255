"""Outside experts see only what they were invited to review, only while the invitation is in force: an
access matrix of expert state × URL → status, and the rules of making and revoking invitations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gorod.accounts import invitations
from gorod.accounts.models import ExpertInvitation, User
from gorod.budgeting.models import ExpertAssignment, Project
from gorod.core import clock
from gorod.core.models import AuditEntry
from tests.conftest import SPRING_DAY
from tests.helpers import login_verified

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def _project(process, code):
    return Project.objects.create(
        process=process,
        code=code,
        title=f"Проект {code}",
        description="Описание",
        cost=Decimal(100),
        status=Project.Status.IN_REVIEW,
        order=1,
    )


@pytest.fixture
def world(make_process, admin_user):
    mine, other = make_process(phase="review", slug="mine"), make_process(phase="review", slug="other")
    _project(mine, "101")
    _project(other, "201")
    return mine, other


def _expert(name: str) -> User:
    return User.objects.create_user(username=name, password="x-pass-12345", role=User.Role.EXPERT)


@pytest.fixture
def experts(world, admin_user):
    """One expert account per state. The clock stands at SPRING_DAY (frozen_spring)."""
    mine, other = world
    made = {state: _expert(state) for state in ("invited", "not_invited", "expired", "revoked", "elsewhere")}
    invite = invitations.invite
    invite(actor=admin_user, expert=made["invited"], target=mine, valid_until=SPRING_DAY + 3 * DAY)
    with clock.frozen(SPRING_DAY - 5 * DAY):
        invite(actor=admin_user, expert=made["expired"], target=mine, valid_until=SPRING_DAY - DAY)
    revoked = invite(actor=admin_user, expert=made["revoked"], target=mine, valid_until=SPRING_DAY + 3 * DAY)
    invitations.revoke(actor=admin_user, invitation=revoked)
    invite(actor=admin_user, expert=made["elsewhere"], target=other, valid_until=SPRING_DAY + 3 * DAY)
    # An old assignment does not let an outside expert in once the invitation is gone.
    ExpertAssignment.objects.create(process=mine, user=made["expired"])
    return made


# url → expected status for (invited, not_invited, expired, revoked, elsewhere)
MATRIX = {
    "/pb/mine/ideas/101/review/": (200, 403, 403, 403, 403),
    "/pb/mine/ideas/999/review/": (404, 403, 403, 403, 403),
    "/pb/other/ideas/201/review/": (403, 403, 403, 403, 200),
    "/pb/nowhere/ideas/101/review/": (404, 404, 404, 404, 404),
    "/pb/mine/reviews/": (200, 200, 200, 200, 200),
    "/pb/mine/manage/": (403, 403, 403, 403, 403),
    "/backoffice/": (403, 403, 403, 403, 403),
    "/backoffice/audit/": (403, 403, 403, 403, 403),
    "/backoffice/experts/": (403, 403, 403, 403, 403),
    "/backoffice/stories/": (403, 403, 403, 403, 403),
}
STATES = ("invited", "not_invited", "expired", "revoked", "elsewhere")


@pytest.mark.parametrize("url", list(MATRIX))
def test_access_matrix(client, experts, url):
    got = []
    for state in STATES:
        client.force_login(experts[state])
        got.append(client.get(url).status_code)
    assert tuple(got) == MATRIX[url], url


def test_only_the_invited_expert_sees_the_review_queue(client, experts):
    for state in STATES:
        client.force_login(experts[state])
        page = client.get("/pb/mine/reviews/").content.decode()
        assert ("/pb/mine/ideas/101/review/" in page) == (state == "invited"), state


def test_an_invitation_lapses_by_itself(client, experts):
    client.force_login(experts["invited"])
    assert client.get("/pb/mine/ideas/101/review/").status_code == 200
    with clock.frozen(SPRING_DAY + 3 * DAY + dt.timedelta(seconds=1)):
        assert client.get("/pb/mine/ideas/101/review/").status_code == 403


def test_invited_expert_publishes_an_opinion(client, experts, world):
    client.force_login(experts["invited"])
    answer = client.post(
        "/pb/mine/ideas/101/review/", {"feasible": "yes", "cost_estimate": "120", "opinion": "Можно сделать."}
    )
    assert answer.status_code == 302
    assert world[0].projects.get(code="101").reviews.get().expert == experts["invited"]


def test_expired_expert_cannot_post(client, experts, world):
    client.force_login(experts["expired"])
    answer = client.post(
        "/pb/mine/ideas/101/review/", {"feasible": "yes", "cost_estimate": "1", "opinion": "x"}
    )
    assert answer.status_code == 403
    assert not world[0].projects.get(code="101").reviews.exists()


def test_invitation_rules(world, admin_user, citizen):
    mine, _other = world
    expert = _expert("e")
    with pytest.raises(PermissionDenied):
        invitations.invite(actor=citizen, expert=expert, target=mine, valid_until=SPRING_DAY + DAY)
    with pytest.raises(ValidationError):
        invitations.invite(actor=admin_user, expert=citizen, target=mine, valid_until=SPRING_DAY + DAY)
    with pytest.raises(ValidationError):
        invitations.invite(actor=admin_user, expert=expert, target=mine, valid_until=SPRING_DAY - DAY)
    with pytest.raises(ValidationError):
        invitations.invite(actor=admin_user, expert=expert, target=mine, valid_until=SPRING_DAY + 400 * DAY)
    with pytest.raises(ValidationError):  # not a kind of object experts are invited to
        invitations.invite(actor=admin_user, expert=expert, target=citizen, valid_until=SPRING_DAY + DAY)
    assert not ExpertInvitation.objects.exists()
    made = invitations.invite(actor=admin_user, expert=expert, target=mine, valid_until=SPRING_DAY + DAY)
    invitations.revoke(actor=admin_user, invitation=made)
    invitations.revoke(actor=admin_user, invitation=made)  # twice is harmless
    actions = list(AuditEntry.objects.filter(action__startswith="expert.").values_list("action", flat=True))
    assert sorted(actions) == ["expert.invite", "expert.revoke"]


def test_staff_page_invites_and_revokes(client, world, admin_user):
    mine, _other = world
    expert = _expert("e")
    login_verified(client, admin_user)
    assert client.get("/backoffice/experts/").status_code == 200
    bad = client.post(
        "/backoffice/experts/", {"expert": expert.pk, "process": mine.pk, "until": "not a date"}
    )
    assert bad.status_code == 400 and not ExpertInvitation.objects.exists()
    answer = client.post(
        "/backoffice/experts/", {"expert": expert.pk, "process": mine.pk, "until": "2026-05-20"}
    )
    assert answer.status_code == 302
    made = ExpertInvitation.objects.get()
    assert invitations.is_invited(expert, mine)
    assert client.post(f"/backoffice/experts/{made.pk}/revoke/").status_code == 302
    assert not invitations.is_invited(expert, mine)


def test_auditor_reads_the_experts_page_but_cannot_invite(client, world):
    auditor = User.objects.create_user(username="aud", password="x", role=User.Role.AUDITOR)
    login_verified(client, auditor)
    assert client.get("/backoffice/experts/").status_code == 200
    expert = _expert("e")
    answer = client.post(
        "/backoffice/experts/", {"expert": expert.pk, "process": world[0].pk, "until": "2026-05-20"}
    )
    assert answer.status_code == 403 and not ExpertInvitation.objects.exists()


def test_account_page_lists_invitations_in_force(client, experts):
    client.force_login(experts["invited"])
    assert "/pb/mine/reviews/" in client.get("/account/").content.decode()
    for state in ("expired", "revoked", "not_invited"):
        client.force_login(experts[state])
        assert "/pb/mine/reviews/" not in client.get("/account/").content.decode(), state
