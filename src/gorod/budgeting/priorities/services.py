"""Writes of the priorities game: loading a game from a file (all of it or none of it) and recording a play.
Every check a player can fail is made here, on the server, whatever the page's JavaScript allowed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gorod.budgeting.priorities.models import Action, Area, Choice, Effect, Game, Play, Priority
from gorod.budgeting.priorities.schema import GameFile, GameFileInvalid, parse_game_file
from gorod.city.models import Municipality
from gorod.core import clock


class PlayInvalid(ValueError):
    """The choice was refused and nothing was saved; str(exc) is a message for the player."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def game_is_open(game: Game) -> bool:
    return game.published and game.is_open_on(clock.today(ZoneInfo(game.municipality.timezone)))


@dataclass(frozen=True)
class Selection:
    actions: tuple[Action, ...]
    coins_spent: int


def parse_action_id(raw: object) -> int | None:
    """A posted action id as an int, or None. isdecimal and the length keep "١٢", "+5", " 5" and
    10,000-digit numbers out before int() sees them."""
    text = str(raw)
    return int(text) if text.isascii() and text.isdecimal() and len(text) <= 18 else None


def validate_selection(*, game: Game, action_ids: Iterable[object], actions: dict[int, Action]) -> Selection:
    """Check a player's choice against the game's actions (`actions`: the game's actions by id).

    Refuses ids that are not whole numbers or not actions of this game, an action given twice, an
    empty choice and a choice over the pool. Does not look at the dates (see play_submit)."""
    chosen: list[Action] = []
    seen: set[int] = set()
    for raw in action_ids:
        pk = parse_action_id(raw)
        if pk is None or pk not in actions:
            raise PlayInvalid(_("One of the chosen actions is not part of this game. Reload the page."))
        if pk in seen:
            raise PlayInvalid(_("An action was chosen twice. Each action can be chosen once."))
        seen.add(pk)
        chosen.append(actions[pk])
    if not chosen:
        raise PlayInvalid(_("Choose at least one action."))
    spent = sum(a.cost for a in chosen)
    if spent > game.coins:
        over = spent - game.coins
        raise PlayInvalid(
            ngettext(
                "Your choice costs %(spent)s coins, %(over)s coin more than the %(pool)s you have. "
                "Remove an action.",
                "Your choice costs %(spent)s coins, %(over)s coins more than the %(pool)s you have. "
                "Remove an action.",
                over,
            )
            % {"spent": spent, "over": over, "pool": game.coins}
        )
    return Selection(actions=tuple(chosen), coins_spent=spent)


def play_submit(*, game: Game, token: str, action_ids: Iterable[object]) -> Play:
    """Record (or replace) the play of the browser session holding `token`.

    Raises PlayInvalid, with nothing saved, if the game is not open today (in its city's time zone) or
    the choice is not valid (see validate_selection)."""
    if not token or len(token) > 200:
        raise PlayInvalid(_("Your browser session has no play token. Reload the page and try again."))
    if not game_is_open(game):
        raise PlayInvalid(_("This game is closed: choices are no longer accepted."))
    actions = {a.pk: a for a in Action.objects.filter(game=game)}
    selection = validate_selection(game=game, action_ids=action_ids, actions=actions)
    try:
        return _save(game=game, digest=token_hash(token), selection=selection)
    except IntegrityError:
        # Two submissions from one session raced to create the play; the other one won: replace it.
        return _save(game=game, digest=token_hash(token), selection=selection)


@transaction.atomic
def _save(*, game: Game, digest: str, selection: Selection) -> Play:
    play = Play.objects.select_for_update().filter(game=game, token_hash=digest).first()
    if play is None:
        play = Play(game=game, token_hash=digest, coins_spent=selection.coins_spent)
        play.full_clean()
        play.save()
    else:
        play.coins_spent = selection.coins_spent
        play.save(update_fields=["coins_spent"])
        play.choices.all().delete()
    Choice.objects.bulk_create([Choice(play=play, action=a, coins=a.cost) for a in selection.actions])
    return play


# --- import ---------------------------------------------------------------------------------------
def game_import_file(path: str | Path, *, municipality: Municipality | None = None) -> Game:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GameFileInvalid(f"{path}: cannot read: {exc}") from None
    return game_import(parse_game_file(text, filename=path.name), municipality=municipality)


def game_import(file: GameFile, *, municipality: Municipality | None = None) -> Game:
    """Create or update the game and everything in it, matched by slug and keys; priorities, areas and
    actions the file no longer lists are removed, and effects are replaced by the file's.

    `municipality` overrides the file's municipality slug (the demo uses it). Refused with
    GameFileInvalid, nothing changed, if the municipality is unknown or the file would remove an
    action that players have chosen."""
    try:
        return _game_import(file, municipality)
    except ValidationError as exc:  # the file passed the schema, so this is rare: a name too long for a field
        details = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items())
        raise GameFileInvalid(f"refused by the database rules: {details}") from None


@transaction.atomic
def _game_import(file: GameFile, municipality: Municipality | None) -> Game:
    g = file.game
    if municipality is None:
        municipality = Municipality.objects.filter(slug=g.municipality).first()
        if municipality is None:
            raise GameFileInvalid(f'game.municipality: no municipality "{g.municipality}"')
    game = Game.objects.filter(slug=g.slug).first()
    if game is not None and game.municipality_id != municipality.pk:
        raise GameFileInvalid(f'game.slug: "{g.slug}" is a game of another municipality')
    if game is None:
        game = Game(slug=g.slug)
    for field in ("title", "title_en", "intro", "intro_en", "coins", "opens_on", "closes_on", "published"):
        setattr(game, field, getattr(g, field))
    game.municipality = municipality
    game.full_clean()
    game.save()

    keep = {a.key for area in file.areas for a in area.actions}
    gone = Action.objects.filter(game=game).exclude(key__in=keep).filter(choices__isnull=False).distinct()
    if gone:
        raise GameFileInvalid(
            "\n".join(f'actions: "{a.key}" was chosen by players and cannot be removed' for a in gone)
        )
    Action.objects.filter(game=game).exclude(key__in=keep).delete()
    Area.objects.filter(game=game).exclude(key__in=[a.key for a in file.areas]).delete()
    Priority.objects.filter(game=game).exclude(key__in=[p.key for p in file.priorities]).delete()

    priorities: dict[str, Priority] = {}
    for order, p in enumerate(file.priorities):
        priorities[p.key] = _upsert(
            Priority,
            game,
            p.key,
            order=order,
            name=p.name,
            name_en=p.name_en,
            description=p.description,
            description_en=p.description_en,
        )
    position = 0
    for area_order, a in enumerate(file.areas):
        area = _upsert(Area, game, a.key, order=area_order, name=a.name, name_en=a.name_en)
        for item in a.actions:
            action = _upsert(
                Action,
                game,
                item.key,
                area=area,
                order=position,
                name=item.name,
                name_en=item.name_en,
                description=item.description,
                description_en=item.description_en,
                cost=item.cost,
            )
            position += 1
            Effect.objects.filter(action=action).delete()
            effects = [
                Effect(action=action, priority=priorities[key], value=value)
                for key, value in item.effects.items()
                if value
            ]
            for effect in effects:
                effect.full_clean()
            Effect.objects.bulk_create(effects)
    return game


def _upsert(model, game: Game, key: str, **fields):
    row = model.objects.filter(game=game, key=key).first() or model(game=game, key=key)
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row
