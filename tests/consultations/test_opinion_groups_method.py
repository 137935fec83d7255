"""The opinion-group method on planted structures: two camps that agree on some statements and split on
others must be found (membership recovered, consensus and representative statements identified), sparse
and too-few voters are handled, and nothing depends on the order the votes come in."""

from __future__ import annotations

import numpy as np
import pytest

from gorod.consultations.opinion_groups import method

CONSENSUS = range(0, 5)  # both camps agree
SPLIT = range(5, 15)  # camp A agrees, camp B disagrees
NOISE = range(15, 20)  # everyone at random
STATEMENTS = 20


def planted(n_a: int = 60, n_b: int = 40, *, seed: int = 1, density: float = 1.0, loyalty: float = 0.9):
    """Votes of two camps, participants 0..n_a−1 in A, the rest in B."""
    rng = np.random.default_rng(seed)
    people, statements, values = [], [], []
    for p in range(n_a + n_b):
        camp_a = p < n_a
        for s in range(STATEMENTS):
            if rng.random() > density:
                continue
            faithful = rng.random() < loyalty
            if s in CONSENSUS:
                v = 1 if faithful else int(rng.choice([-1, 0]))
            elif s in SPLIT:
                v = (1 if camp_a else -1) if faithful else 0
            else:
                v = int(rng.choice([-1, 0, 1]))
            people.append(p)
            statements.append(s)
            values.append(v)
    return np.array(people), np.array(statements), np.array(values)


def test_two_planted_camps_are_found_with_their_members():
    people, statements, values = planted()
    outcome = method.compute(people, statements, values, STATEMENTS)
    assert outcome is not None
    assert outcome.k == 2
    assert outcome.sizes == [60, 40]  # group 1 is the larger camp
    by_person = dict(zip(outcome.rows.tolist(), outcome.labels.tolist(), strict=True))
    assert {by_person[p] for p in range(60)} == {0}
    assert {by_person[p] for p in range(60, 100)} == {1}


def test_consensus_is_what_both_camps_agree_on_and_nothing_else():
    outcome = method.compute(*planted(), STATEMENTS)
    assert {j for j, _score in outcome.consensus} == set(CONSENSUS)
    assert all(0 < score <= 1 for _j, score in outcome.consensus)


def test_representative_statements_are_the_split_ones_in_each_camps_direction():
    outcome = method.compute(*planted(), STATEMENTS)
    camp_a, camp_b = outcome.representative
    assert camp_a and camp_b
    assert {r.statement for r in camp_a} <= set(SPLIT)
    assert {r.direction for r in camp_a} == {"agree"}
    assert {r.statement for r in camp_b} <= set(SPLIT)
    assert {r.direction for r in camp_b} == {"disagree"}
    assert all(r.share > 0.8 and r.rest_share < 0.2 and r.z > method.Z_REPRESENTATIVE for r in camp_a)


def test_counts_per_group_add_up_to_the_votes_of_the_grouped():
    people, statements, values = planted()
    outcome = method.compute(people, statements, values, STATEMENTS)
    assert (outcome.agree + outcome.disagree + outcome.passed).sum() == len(values)
    assert outcome.agree[:, 0].sum() == int(((statements == 0) & (values == 1)).sum())


def test_camps_are_found_in_sparse_votes_too():
    people, statements, values = planted(300, 200, density=0.5, seed=3)
    outcome = method.compute(people, statements, values, STATEMENTS)
    assert outcome is not None and outcome.k == 2
    grouped = dict(zip(outcome.rows.tolist(), outcome.labels.tolist(), strict=True))
    right = sum(grouped[p] == 0 for p in grouped if p < 300) + sum(
        grouped[p] == 1 for p in grouped if p >= 300
    )
    assert right / len(grouped) > 0.95


def test_the_order_of_votes_does_not_change_the_groups():
    people, statements, values = planted()
    order = np.random.default_rng(7).permutation(len(values))
    first = method.compute(people, statements, values, STATEMENTS)
    second = method.compute(people[order], statements[order], values[order], STATEMENTS)
    assert first.sizes == second.sizes
    assert {j for j, _ in first.consensus} == {j for j, _ in second.consensus}


def test_participants_with_too_few_votes_are_left_out():
    people, statements, values = planted()
    # Person 100 voted on a few statements only.
    people = np.append(people, [100] * (method.MIN_VOTES - 1))
    statements = np.append(statements, range(method.MIN_VOTES - 1))
    values = np.append(values, [1] * (method.MIN_VOTES - 1))
    outcome = method.compute(people, statements, values, STATEMENTS)
    assert 100 not in outcome.rows
    assert outcome.participants == 101 and outcome.grouped == 100


@pytest.mark.parametrize(
    "votes",
    [
        ([], [], []),  # nobody
        ([0] * 20, list(range(20)), [1] * 20),  # one person
        (list(range(5)) * 3, [0] * 15, [1] * 15),  # everyone too few
    ],
)
def test_too_little_to_group_gives_none(votes):
    assert method.compute(*(np.array(v, dtype=np.int64) for v in votes), STATEMENTS) is None


def test_everyone_voting_alike_gives_no_groups():
    people = np.repeat(np.arange(30), STATEMENTS)
    statements = np.tile(np.arange(STATEMENTS), 30)
    assert method.compute(people, statements, np.ones_like(people), STATEMENTS) is None


def test_the_scatter_sample_names_nobody():
    outcome = method.compute(*planted(), STATEMENTS)
    assert len(outcome.points) == 100
    for x, y, g in outcome.points:
        assert 0 <= x <= 1 and 0 <= y <= 1 and g in (0, 1)
    # Shuffled: the sample's order is not the participants' order.
    assert [g for _x, _y, g in outcome.points] != sorted(g for _x, _y, g in outcome.points)


def test_a_perfectly_split_crowd_on_two_places_is_two_groups():
    people = np.repeat(np.arange(30), STATEMENTS)
    statements = np.tile(np.arange(STATEMENTS), 30)
    values = np.where(people < 18, 1, -1)
    outcome = method.compute(people, statements, values, STATEMENTS)
    assert outcome is not None and outcome.sizes == [18, 12]


@pytest.mark.parametrize(
    "points",
    [
        [[0, 0, 0], [1, 0, 1]],  # two camps on one line
        [[0, 0, 0]],  # one place
        [[0, 0, 0], [0, 1, 1], [1, 0.5, 2]],
        [],
    ],
)
def test_the_scatter_keeps_every_mark_inside_the_frame_and_holds_only_numbers(points):
    import re

    from gorod.consultations.opinion_groups import svg

    picture = svg.scatter(points, title="<b>Groups</b>", description_id="og-groups")
    assert "<b>" not in picture and "&lt;b&gt;Groups&lt;/b&gt;" in picture
    places = [
        (float(x), float(y)) for x, y in re.findall(r'<use href="#og-m\d" x="([\d.]+)" y="([\d.]+)"', picture)
    ]
    assert len(places) == len(points)
    for x, y in places:
        assert svg.PAD <= x <= svg.WIDTH - svg.PAD and svg.PAD <= y <= svg.HEIGHT - svg.PAD
