"""A person's project follows are in their data export and go with their account."""

from __future__ import annotations

import pytest

from gorod.consultations import services
from gorod.consultations.models import Follower
from tests.accounts.conftest import PASSWORD


@pytest.fixture
def anna(city):
    from gorod.accounts.models import User

    return User.objects.create_user(
        username="anna2", password=PASSWORD, role="citizen", email="anna@example.org"
    )


def test_export_lists_project_follows_and_erasure_removes_them(make_project, anna):
    from gorod.privacy.selectors import account_data
    from gorod.privacy.services import account_erase

    by_account, by_address, other = make_project(slug="a"), make_project(slug="b"), make_project(slug="c")
    services.follow_user(project=by_account, user=anna)
    services.follow_by_email(project=by_address, email="Anna@Example.org")  # before signing up
    services.follow_by_email(project=other, email="someone@example.org")
    services.participation_record(project=by_account, user=anna)
    data = account_data(anna, [], {}, [])
    assert [f["project"] for f in data["project_follows"]] == ["a", "b"]
    account_erase(user=anna, password=PASSWORD)
    assert list(Follower.objects.values_list("project__slug", flat=True)) == ["c"]
    assert not by_account.participations.exists()
