"""Everyone's plays as a cumulative Pabulib ballot file (https://pabulib.org/format): projects are the
actions (cost in coins), each play is a vote whose points are the coins it spent on each action, and the
budget and max_sum_points are the pool of coins. Voter ids are positions (1, 2, …), not database ids."""

from __future__ import annotations

from gorod.budgeting.pabulib import PabulibFile, Project, Vote, dumps
from gorod.budgeting.priorities import selectors
from gorod.budgeting.priorities.models import Game


def _cell(value: object) -> str:
    # The format is semicolon-separated with comma lists inside cells; a plain cell reads the same
    # with or without csv quoting, so names never need it.
    return " ".join(str(value).replace(";", ",").split())


def pabulib_text(game: Game) -> str:
    board = selectors.board(game)
    totals = selectors.compute_aggregate(board)
    votes = list(selectors.export_votes(game))
    actions = board.actions
    score: dict[int, int] = {pk: 0 for pk in actions}
    for _, items in votes:
        for action_id, coins in items:
            score[action_id] = score.get(action_id, 0) + coins
    meta = [
        ("description", f"Gorod budget-priorities game: {game.title}"),
        ("country", "Russia"),
        ("unit", game.municipality.name),
        ("instance", game.slug),
        ("num_projects", len(actions)),
        ("num_votes", len(votes)),
        ("budget", game.coins),
        ("vote_type", "cumulative"),
        ("rule", "unknown"),
        ("date_begin", game.opens_on.strftime("%d.%m.%Y")),
        ("date_end", game.closes_on.strftime("%d.%m.%Y") if game.closes_on else ""),
        ("min_length", 1),
        ("max_sum_points", game.coins),
        ("language", "ru"),
        ("currency", "coins"),
        ("experimental", 1),
    ]
    area_keys = {a.pk: a.key for a in board.areas}
    projects = {
        action.key: Project(
            project_id=action.key,
            cost=action.cost,
            name=_cell(action.name),
            fields={
                "votes": str(totals.chosen.get(pk, 0)),
                "score": str(score.get(pk, 0)),
                "category": area_keys[action.area_id],
            },
        )
        for pk, action in actions.items()
    }
    ballots = [
        Vote(
            voter_id=str(position),
            vote=[actions[action_id].key for action_id, _ in items],
            points=[coins for _, coins in items],
        )
        for position, (_, items) in enumerate(votes, start=1)
    ]
    return dumps(
        PabulibFile(
            meta={key: _cell(value) for key, value in meta},
            projects=projects,
            votes=ballots,
            project_columns=["project_id", "cost", "votes", "score", "name", "category"],
            vote_columns=["voter_id", "vote", "points"],
        )
    )
