"""The commission lottery: commit, draw, and the draw reproduced from the published seed alone."""

from __future__ import annotations

import hashlib

import pytest

from gorod.budgeting import lottery as algorithm
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Candidate
from gorod.budgeting.services import candidate_add, lottery_commit, lottery_draw, lottery_setup

pytestmark = pytest.mark.usefixtures("english")


def test_shuffle_is_a_deterministic_permutation_of_the_sorted_list():
    tickets = [f"{i:04d}" for i in range(1, 41)]
    once = algorithm.shuffle(list(reversed(tickets)), "seed")
    assert once == algorithm.shuffle(tickets, "seed")
    assert sorted(once) == tickets and once != tickets
    assert algorithm.shuffle(tickets, "other") != once


def test_known_answer():
    # Pinned so the documented algorithm cannot drift from the code.
    assert algorithm.shuffle(["a", "b", "c", "d", "e"], "gorod") == algorithm.shuffle(
        ["e", "d", "c", "b", "a"], "gorod"
    )
    stream = hashlib.sha256(b"gorod" + (0).to_bytes(8, "big")).digest()
    r = int.from_bytes(stream[:8], "big")
    first_j = r % 5  # i = 4, bound 5; 2**64 % 5 leaves no rejection for almost all r
    order = ["a", "b", "c", "d", "e"]
    order[4], order[first_j] = order[first_j], order[4]
    assert algorithm.shuffle(["a", "b", "c", "d", "e"], "gorod")[4] == order[4]


def test_draw_is_reproducible_from_the_published_page(make_process, admin_user, en_client):
    process = make_process(phase="lottery")
    lot = lottery_setup(process=process, actor=admin_user, seats=3, reserves=2)
    for i in range(10):
        candidate_add(lottery=lot, actor=admin_user, public_name=f"Жител{i}")
    lot = lottery_commit(lottery=lot, actor=admin_user)
    assert lot.seed_revealed == "" and len(lot.commitment) == 64
    page = en_client.get(f"/pb/{process.slug}/lottery/").content.decode()
    assert lot.commitment in page and lot.seed_secret not in page
    with pytest.raises(Refused):
        candidate_add(lottery=lot, actor=admin_user, public_name="Поздний")
    lot = lottery_draw(lottery=lot, actor=admin_user)
    assert hashlib.sha256(lot.seed_revealed.encode()).hexdigest() == lot.commitment
    tickets = list(lot.candidates.values_list("ticket", flat=True))
    assert algorithm.candidates_hash(tickets) == lot.candidates_hash
    members, reserves = algorithm.draw(tickets, lot.seed_revealed, 3, 2)
    assert (
        list(
            lot.candidates.filter(outcome=Candidate.Outcome.MEMBER)
            .order_by("position")
            .values_list("ticket", flat=True)
        )
        == members
    )
    assert (
        list(
            lot.candidates.filter(outcome=Candidate.Outcome.RESERVE)
            .order_by("position")
            .values_list("ticket", flat=True)
        )
        == reserves
    )
    page = en_client.get(f"/pb/{process.slug}/lottery/").content.decode()
    assert lot.seed_revealed in page
    # The Python snippet on the page, run as published, prints the same members.
    snippet = page.split('<pre class="code"><code>')[1].split("</code></pre>")[0]
    import contextlib
    import html as html_lib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(html_lib.unescape(snippet), {})  # noqa: S102 - our own page's code
    assert f"members: {members}" in out.getvalue()
    with pytest.raises(Refused, match="already"):
        lottery_draw(lottery=lot, actor=admin_user)


def test_draw_only_in_its_phase_and_by_admins(make_process, admin_user, citizen):
    process = make_process(phase="review")
    lot = lottery_setup(process=process, actor=admin_user, seats=1, reserves=0)
    candidate_add(lottery=lot, actor=admin_user, public_name="А")
    lottery_commit(lottery=lot, actor=admin_user)
    with pytest.raises(Refused, match="own phase"):
        lottery_draw(lottery=lot, actor=admin_user)
    with pytest.raises(Refused, match="administrators"):
        lottery_setup(process=process, actor=citizen, seats=1, reserves=0)


def test_commit_needs_enough_candidates(make_process, admin_user):
    process = make_process(phase="lottery")
    lot = lottery_setup(process=process, actor=admin_user, seats=3, reserves=0)
    candidate_add(lottery=lot, actor=admin_user, public_name="А")
    with pytest.raises(Refused, match="fewer candidates"):
        lottery_commit(lottery=lot, actor=admin_user)
