"""The game file format (YAML or JSON) read by `gorod priorities_import`, as pydantic models.
docs/priorities.md describes it for staff; keep the two in step."""

from __future__ import annotations

import datetime as dt
import json

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator
from pydantic import ValidationError as PydanticError

from gorod.budgeting.priorities.models import EFFECT_MAX, EFFECT_MIN, MAX_COINS

KEY = r"^[a-z0-9][a-z0-9_-]*$"


class GameFileInvalid(ValueError):
    """The file was refused, nothing imported; the message names each problem and where it is."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Part(Strict):
    key: str = Field(pattern=KEY, max_length=50)
    name: str = Field(min_length=1, max_length=200)
    name_en: str = Field("", max_length=200)


class PriorityIn(Part):
    description: str = Field("", max_length=300)
    description_en: str = Field("", max_length=300)


class ActionIn(Part):
    description: str = ""
    description_en: str = ""
    cost: int = Field(ge=1, le=MAX_COINS, strict=True)
    # priority key -> effect; a priority left out is not affected.
    effects: dict[str, StrictInt] = Field(default_factory=dict)

    @model_validator(mode="after")
    def effects_in_range(self) -> ActionIn:
        for key, value in self.effects.items():
            if not EFFECT_MIN <= value <= EFFECT_MAX:
                raise ValueError(
                    f'effect on "{key}" must be a whole number from {EFFECT_MIN} to {EFFECT_MAX}'
                )
        return self


class AreaIn(Part):
    actions: list[ActionIn] = Field(min_length=1)


class GameIn(Strict):
    slug: str = Field(pattern=KEY, max_length=50)
    municipality: str = Field(min_length=1, max_length=50)
    title: str = Field(min_length=1, max_length=200)
    title_en: str = Field("", max_length=200)
    intro: str = ""
    intro_en: str = ""
    coins: int = Field(ge=1, le=MAX_COINS, strict=True)
    opens_on: dt.date
    closes_on: dt.date | None = None
    published: bool = True

    @model_validator(mode="after")
    def dates_in_order(self) -> GameIn:
        if self.closes_on is not None and self.closes_on < self.opens_on:
            raise ValueError("closes_on is before opens_on")
        return self


class GameFile(Strict):
    game: GameIn
    priorities: list[PriorityIn] = Field(min_length=1)
    areas: list[AreaIn] = Field(min_length=1)


def _where(loc: tuple, data: object) -> str:
    """`areas[1] (key "parks").actions[0] (key "trees").cost` from a pydantic error location."""
    parts: list[str] = []
    node = data
    for step in loc:
        if isinstance(step, int) and parts:
            label = ""
            if isinstance(node, list) and step < len(node) and isinstance(node[step], dict):
                key = node[step].get("key")
                if isinstance(key, str):
                    label = f' (key "{key}")'
            parts[-1] += f"[{step}]{label}"
            node = node[step] if isinstance(node, list) and step < len(node) else None
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts) or "(file)"


def parse_game_file(text: str, *, filename: str = "") -> GameFile:
    name = filename or "file"
    try:
        data = json.loads(text) if filename.endswith(".json") else yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        at = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise GameFileInvalid(f"{name}{at}: not valid YAML: {exc.problem}") from None
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise GameFileInvalid(f"{name}: not valid YAML/JSON: {exc}") from None
    except ValueError as exc:  # YAML reads 2026-02-30 as a date and fails while building it
        raise GameFileInvalid(f"{name}: impossible value: {exc}") from None
    if not isinstance(data, dict):
        raise GameFileInvalid(f"{name}: the top level must be a mapping with game, priorities and areas")
    try:
        parsed = GameFile.model_validate(data)
    except PydanticError as exc:
        lines = []
        for error in exc.errors():
            message = error["msg"].removeprefix("Value error, ")
            lines.append(f"{name}: {_where(tuple(error['loc']), data)}: {message}")
        raise GameFileInvalid("\n".join(lines)) from None
    _check_references(parsed, name)
    return parsed


def _check_references(file: GameFile, name: str) -> None:
    problems: list[str] = []

    def unique(kind: str, keys: list[str]) -> None:
        seen: set[str] = set()
        for i, key in enumerate(keys):
            if key in seen:
                problems.append(f'{name}: {kind}[{i}] (key "{key}"): the key appears twice')
            seen.add(key)

    priorities = {p.key for p in file.priorities}
    unique("priorities", [p.key for p in file.priorities])
    unique("areas", [a.key for a in file.areas])
    seen_actions: set[str] = set()
    for i, area in enumerate(file.areas):
        for j, action in enumerate(area.actions):
            where = f'{name}: areas[{i}] (key "{area.key}").actions[{j}] (key "{action.key}")'
            if action.key in seen_actions:
                problems.append(f"{where}: the key appears twice in the game")
            seen_actions.add(action.key)
            if action.cost > file.game.coins:
                problems.append(
                    f"{where}.cost: {action.cost} is more than a player's {file.game.coins} coins"
                )
            for key in action.effects:
                if key not in priorities:
                    problems.append(f'{where}.effects: no priority "{key}"')
    if problems:
        raise GameFileInvalid("\n".join(problems))
