"""The budget-priorities game (Crowdgauge): a game has spending areas with actions that cost coins, and
priorities that each action helps or hurts (an effect from -3 to +3). Everything a game says is data,
edited in the admin or loaded with `gorod priorities_import`; a play is an anonymous set of actions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.city.models import Municipality
from gorod.core.i18n import localized
from gorod.core.models import BaseModel

EFFECT_MIN, EFFECT_MAX = -3, 3
# A pool far above any real game, low enough that sums stay small integers everywhere.
MAX_COINS = 100_000

key_validator = RegexValidator(r"^[a-z0-9][a-z0-9_-]*$", _("Lower-case letters, digits, - and _ only."))


class Game(BaseModel):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="priority_games", verbose_name=_("municipality")
    )
    slug = models.SlugField(_("slug"), unique=True, validators=[key_validator])
    title = models.CharField(_("title (Russian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro = models.TextField(_("introduction (Russian)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    coins = models.PositiveIntegerField(
        _("coins per player"), validators=[MinValueValidator(1), MaxValueValidator(MAX_COINS)]
    )
    opens_on = models.DateField(_("open from"), help_text=_("First day people can play."))
    closes_on = models.DateField(
        _("open until"), null=True, blank=True, help_text=_("Last day people can play; empty: no end.")
    )
    published = models.BooleanField(
        _("published"), default=True, help_text=_("Unpublished games are not shown to the public.")
    )

    class Meta:
        verbose_name = _("priorities game")
        verbose_name_plural = _("priorities games")
        ordering = ["-opens_on", "slug"]

    def __str__(self) -> str:
        return self.title

    @property
    def label(self) -> str:
        return localized(self.title, self.title_en)

    @property
    def intro_text(self) -> str:
        return localized(self.intro, self.intro_en)

    def is_open_on(self, day: dt.date) -> bool:
        return self.opens_on <= day and (self.closes_on is None or day <= self.closes_on)

    def clean(self) -> None:
        if self.closes_on and self.opens_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("The game cannot close before it opens.")})


class GamePart(BaseModel):
    """A named thing of one game, keyed for import files and export (`key` is unique in the game)."""

    key = models.CharField(_("key"), max_length=50, validators=[key_validator])
    name = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return localized(self.name, self.name_en)


class Priority(GamePart):
    game = models.ForeignKey(
        Game, on_delete=models.CASCADE, related_name="priorities", verbose_name=_("game")
    )
    description = models.CharField(_("description (Russian)"), max_length=300, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)

    class Meta(GamePart.Meta):
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        constraints = [models.UniqueConstraint(fields=["game", "key"], name="priority_key_unique")]

    @property
    def description_text(self) -> str:
        return localized(self.description, self.description_en)


class Area(GamePart):
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="areas", verbose_name=_("game"))

    class Meta(GamePart.Meta):
        verbose_name = _("spending area")
        verbose_name_plural = _("spending areas")
        constraints = [models.UniqueConstraint(fields=["game", "key"], name="area_key_unique")]

    def __str__(self) -> str:
        # The admin's area menu lists every game's areas; the game's slug tells two "Roads" apart.
        return f"{self.name} ({self.game.slug})"


class Action(GamePart):
    # The game is kept beside the area so keys can be unique per game (they become Pabulib project ids).
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="actions", verbose_name=_("game"))
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="actions", verbose_name=_("area"))
    description = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    cost = models.PositiveIntegerField(
        _("cost in coins"), validators=[MinValueValidator(1), MaxValueValidator(MAX_COINS)]
    )

    class Meta(GamePart.Meta):
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.UniqueConstraint(fields=["game", "key"], name="action_key_unique"),
            models.CheckConstraint(condition=models.Q(cost__gte=1), name="action_cost_positive"),
        ]

    @property
    def description_text(self) -> str:
        return localized(self.description, self.description_en)

    def clean(self) -> None:
        if self.area_id and self.game_id and self.area.game_id != self.game_id:
            raise ValidationError({"area": _("The area belongs to another game.")})
        if self.game_id and self.cost and self.cost > self.game.coins:
            raise ValidationError({"cost": _("The action costs more than a player's whole pool of coins.")})


class Effect(models.Model):
    """How much one action helps (+) or hurts (-) one priority. No row means no effect."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="effects", verbose_name=_("action")
    )
    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="effects", verbose_name=_("priority")
    )
    value = models.SmallIntegerField(
        _("effect"),
        validators=[MinValueValidator(EFFECT_MIN), MaxValueValidator(EFFECT_MAX)],
        help_text=_("From -3 (hurts a lot) to +3 (helps a lot)."),
    )

    class Meta:
        verbose_name = _("effect")
        verbose_name_plural = _("effects")
        ordering = ["priority__order", "priority_id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "priority"], name="effect_unique"),
            models.CheckConstraint(
                condition=models.Q(value__gte=EFFECT_MIN, value__lte=EFFECT_MAX), name="effect_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} → {self.priority}: {self.value:+d}"

    def clean(self) -> None:
        if self.action_id and self.priority_id and self.action.game_id != self.priority.game_id:
            raise ValidationError({"priority": _("The priority belongs to another game.")})


class Play(BaseModel):
    """One browser session's choice. `token_hash` is the SHA-256 of a random token kept only in that
    session, so the play can be replaced from it and from nowhere else; nothing about the person is kept."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="plays", verbose_name=_("game"))
    token_hash = models.CharField(_("session token hash"), max_length=64, editable=False)
    coins_spent = models.PositiveIntegerField(_("coins spent"))

    class Meta:
        verbose_name = _("play")
        verbose_name_plural = _("plays")
        constraints = [models.UniqueConstraint(fields=["game", "token_hash"], name="play_token_unique")]

    def __str__(self) -> str:
        return f"{self.game.slug} #{self.pk}"


class Choice(models.Model):
    # PROTECT: an action people chose is history; removing it must be a decision, not a side effect.
    play = models.ForeignKey(Play, on_delete=models.CASCADE, related_name="choices", verbose_name=_("play"))
    action = models.ForeignKey(
        Action, on_delete=models.PROTECT, related_name="choices", verbose_name=_("action")
    )
    coins = models.PositiveIntegerField(_("coins"), help_text=_("The action's cost when it was chosen."))

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [models.UniqueConstraint(fields=["play", "action"], name="choice_unique")]

    def __str__(self) -> str:
        return f"{self.play_id}: {self.action_id} ({self.coins})"
