"""Reads of the priorities game: the board a player sees, a session's play, and everyone's aggregate
(counted in SQL, combined with numpy, cached for GOROD_PRIORITIES_CACHE_S seconds)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, QuerySet, Sum

from gorod.budgeting.priorities.models import Action, Area, Choice, Effect, Game, Play, Priority
from gorod.budgeting.priorities.services import token_hash
from gorod.city.models import Municipality


def published_games(municipality: Municipality) -> QuerySet[Game]:
    return Game.objects.filter(municipality=municipality, published=True).order_by("-opens_on", "slug")


def published_game(slug: str) -> Game | None:
    return Game.objects.filter(slug=slug, published=True).select_related("municipality").first()


@dataclass
class Board:
    """A game's areas, actions and priorities, with the effect matrix (actions × priorities)."""

    game: Game
    priorities: list[Priority]
    areas: list[Area]
    actions: dict[int, Action]
    effects: dict[int, dict[int, int]]  # action id -> priority id -> effect
    scale: int = field(default=1)

    def matrix(self) -> tuple[list[int], list[int], np.ndarray]:
        action_ids = list(self.actions)
        priority_ids = [p.pk for p in self.priorities]
        m = np.zeros((len(action_ids), len(priority_ids)), dtype=np.int64)
        column = {pk: j for j, pk in enumerate(priority_ids)}
        for i, action_id in enumerate(action_ids):
            for priority_id, value in self.effects[action_id].items():
                m[i, column[priority_id]] = value
        return action_ids, priority_ids, m

    def totals(self, action_ids: Iterable[int]) -> dict[int, int]:
        """Each priority's summed effect for a set of (valid) actions."""
        totals = {p.pk: 0 for p in self.priorities}
        for action_id in action_ids:
            for priority_id, value in self.effects.get(action_id, {}).items():
                totals[priority_id] += value
        return totals


def board(game: Game) -> Board:
    """Four queries: priorities, areas, their actions and the actions' effects."""
    priorities = list(Priority.objects.filter(game=game))
    areas = list(
        Area.objects.filter(game=game).prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("effects", queryset=Effect.objects.select_related("priority"))
                ),
            )
        )
    )
    actions = {a.pk: a for area in areas for a in area.actions.all()}
    effects = {pk: {e.priority_id: e.value for e in a.effects.all()} for pk, a in actions.items()}
    # One scale for every bar, so bars of different priorities compare honestly: the most any priority
    # can be helped or hurt within the pool of coins (a full bar is the best a player could do for it).
    scale = 1
    costs = [a.cost for a in actions.values()]
    for p in priorities:
        gains = [e.get(p.pk, 0) for e in effects.values()]
        scale = max(
            scale, best_within(costs, gains, game.coins), best_within(costs, [-g for g in gains], game.coins)
        )
    return Board(game=game, priorities=priorities, areas=areas, actions=actions, effects=effects, scale=scale)


def best_within(costs: list[int], values: list[int], pool: int) -> int:
    """The largest total of `values` from items whose `costs` fit in `pool` (0/1 knapsack; numpy over
    the coins, one pass per item that has a positive value)."""
    best = np.zeros(pool + 1, dtype=np.int64)
    for cost, value in zip(costs, values, strict=True):
        if value > 0 and cost <= pool:
            best[cost:] = np.maximum(best[cost:], best[: pool + 1 - cost] + value)
    return int(best[-1])


def play_for(game: Game, token: str | None) -> Play | None:
    if not token:
        return None
    return Play.objects.filter(game=game, token_hash=token_hash(token)).prefetch_related("choices").first()


@dataclass(frozen=True)
class Aggregate:
    plays: int
    share: dict[int, float]  # action id -> share of plays choosing it (0..1)
    chosen: dict[int, int]  # action id -> number of plays choosing it
    area_coins: dict[int, float]  # area id -> average coins per play
    priority_effect: dict[int, float]  # priority id -> average summed effect per play


def _cache_seconds() -> float:
    return float(getattr(settings, "GOROD_PRIORITIES_CACHE_S", 30))


def aggregate(b: Board) -> Aggregate:
    # The game's `updated` is in the key so an edit in the admin or an import shows at once.
    key = f"priorities:aggregate:{b.game.pk}:{b.game.updated.timestamp()}"
    cached = cache.get(key)
    if cached is None:
        cached = compute_aggregate(b)
        cache.set(key, cached, _cache_seconds())
    return cached


def compute_aggregate(b: Board) -> Aggregate:
    """Two grouped queries, then numpy: counts per action times the effect matrix."""
    plays = Play.objects.filter(game=b.game).count()
    rows = (
        Choice.objects.filter(play__game=b.game)
        .values("action_id")
        .annotate(n=Count("id"), coins=Sum("coins"))
        .values_list("action_id", "n", "coins")
    )
    action_ids, priority_ids, m = b.matrix()
    index = {pk: i for i, pk in enumerate(action_ids)}
    counts = np.zeros(len(action_ids), dtype=np.int64)
    coins = np.zeros(len(action_ids), dtype=np.int64)
    for action_id, n, total in rows:
        if action_id in index:
            counts[index[action_id]] = n
            coins[index[action_id]] = total or 0
    divisor = max(plays, 1)
    effect = (counts @ m) / divisor if len(action_ids) else np.zeros(len(priority_ids))
    area_of = np.array([b.actions[pk].area_id for pk in action_ids], dtype=np.int64)
    return Aggregate(
        plays=plays,
        share={pk: float(counts[i]) / divisor for pk, i in index.items()},
        chosen={pk: int(counts[i]) for pk, i in index.items()},
        area_coins={a.pk: float(coins[area_of == a.pk].sum()) / divisor for a in b.areas},
        priority_effect={pk: float(effect[j]) for j, pk in enumerate(priority_ids)},
    )


def export_votes(game: Game) -> Iterable[tuple[int, list[tuple[int, int]]]]:
    """(play id, [(action id, coins), ...]) for every play, in play order, streamed from one query."""
    rows = (
        Choice.objects.filter(play__game=game)
        .order_by("play_id", "action__order", "action_id")
        .values_list("play_id", "action_id", "coins")
        .iterator(chunk_size=5000)
    )
    current: int | None = None
    items: list[tuple[int, int]] = []
    for play_id, action_id, coins in rows:
        if play_id != current:
            if current is not None:
                yield current, items
            current, items = play_id, []
        items.append((action_id, coins))
    if current is not None:
        yield current, items
