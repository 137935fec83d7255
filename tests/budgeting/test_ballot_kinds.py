"""Every ballot kind is declared once, and a Pabulib file's META picks exactly one of them."""

from __future__ import annotations

import pytest

from gorod.budgeting import ballot_kinds
from gorod.budgeting.models import Process


def test_every_ballot_kind_a_process_may_have_is_declared():
    assert set(ballot_kinds.KINDS) == set(Process.BallotKind.values)
    assert all(kind.value == value for value, kind in ballot_kinds.KINDS.items())


@pytest.mark.parametrize(
    ("meta", "kind", "tally"),
    [
        ({"vote_type": "approval"}, "approval", "approval"),
        ({"vote_type": "choose-1"}, "approval", "approval"),
        ({"vote_type": "approval", "max_sum_cost": "1000"}, "knapsack", "approval"),
        ({"vote_type": "choose-1", "max_sum_cost": "1000"}, "knapsack", "approval"),
        ({"vote_type": "cumulative"}, "cumulative", "cumulative"),
        ({"vote_type": "scoring"}, "cumulative", "cumulative"),
        ({"vote_type": "ordinal"}, "ranked", "ordinal"),
        ({}, "approval", "approval"),
    ],
)
def test_a_pabulib_file_is_imported_as_one_kind(meta, kind, tally):
    claimed = [k.value for k in ballot_kinds.KINDS.values() if k.claims(meta)]
    assert claimed == [kind]
    assert ballot_kinds.from_pabulib(meta).tally_kind == tally
