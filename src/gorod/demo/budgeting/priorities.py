"""Demo content: the St Petersburg priorities game (priorities_spb.yaml) with a few hundred simulated
plays, so the comparison page has something to compare with. Called by `gorod seed_demo` (demo.seeders)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from zoneinfo import ZoneInfo

from gorod.budgeting.priorities import selectors
from gorod.budgeting.priorities.schema import parse_game_file
from gorod.budgeting.priorities.services import game_import, play_submit
from gorod.city.models import Municipality
from gorod.core import clock

DEMO_FILE = Path(__file__).with_name("priorities_spb.yaml")
PLAYERS = 320

# Kinds of player, as weights on the priorities in the file's order (clean air, safety, travel,
# children, savings); each player's weights are drawn around one of them.
PERSONAS = [
    (0.30, [3.0, 1.0, 1.0, 1.0, 0.5]),  # green
    (0.25, [0.5, 1.5, 1.0, 3.0, 0.5]),  # parents
    (0.25, [1.0, 1.0, 3.0, 0.5, 0.5]),  # commuters
    (0.20, [0.5, 1.5, 0.5, 0.5, 3.0]),  # thrifty
]


def seed(*, municipality: Municipality, seed: int, anchor: dt.date, stdout) -> None:
    """Load the game for `municipality`, open from 30 days before `anchor` to 90 days after, and record
    PLAYERS plays as they would have been made on the anchor day. Idempotent: the plays use fixed
    tokens, so a second run replaces them instead of adding more."""
    file = parse_game_file(DEMO_FILE.read_text(encoding="utf-8"), filename=DEMO_FILE.name)
    file.game.opens_on = anchor - dt.timedelta(days=30)
    file.game.closes_on = anchor + dt.timedelta(days=90)
    game = game_import(file, municipality=municipality)
    b = selectors.board(game)
    rng = random.Random(seed * 7_919 + 11)
    noon = dt.datetime.combine(anchor, dt.time(12), tzinfo=ZoneInfo(municipality.timezone))
    with clock.frozen(noon):
        for n in range(PLAYERS):
            weights = _weights(rng, len(b.priorities))
            choice = _choose(rng, b, weights)
            play_submit(game=game, token=f"demo-{seed}-{n}", action_ids=choice)
    stdout.write(f"Priorities game {game.slug!r}: {len(b.actions)} actions, {PLAYERS} demo plays.")


def _weights(rng: random.Random, count: int) -> list[float]:
    roll, persona = rng.random(), PERSONAS[-1][1]
    for share, weights in PERSONAS:
        if roll < share:
            persona = weights
            break
        roll -= share
    # Priorities in the file's order; any added later in the admin get a neutral weight.
    return [max(0.0, (persona[i] if i < len(persona) else 1.0) + rng.gauss(0, 0.6)) for i in range(count)]


def _choose(rng: random.Random, b: selectors.Board, weights: list[float]) -> list[int]:
    """Greedy by value per coin with some noise, as people do, never over the pool."""
    pids = [p.pk for p in b.priorities]
    scored = []
    for pk, action in b.actions.items():
        value = sum(w * b.effects[pk].get(pid, 0) for w, pid in zip(weights, pids, strict=True))
        value += rng.gauss(0, 1.5)
        scored.append((value / action.cost, pk))
    scored.sort(reverse=True)
    left, chosen = b.game.coins, list[int]()
    for ratio, pk in scored:
        cost = b.actions[pk].cost
        if (ratio > 0 or not chosen) and cost <= left:
            chosen.append(pk)
            left -= cost
    return chosen
