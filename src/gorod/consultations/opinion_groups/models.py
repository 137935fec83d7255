"""Opinion groups (pol.is): residents write short statements and vote agree / disagree / pass on the others';
the worker finds groups of like-minded participants (method.py) and stores the outcome here. The stored
outcome names no person: group sizes, per-statement counts per group, and an anonymous sample of places
for the scatter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.consultations.contributions import Moderated, register
from gorod.core import clock
from gorod.core.models import BaseModel

STATEMENT_MAX = 140  # pol.is keeps statements tweet-short: one claim each, easy to vote on


class Choice(models.IntegerChoices):
    AGREE = 1, _("agree")
    DISAGREE = -1, _("disagree")
    PASS = 0, _("pass / unsure")


class Statement(Moderated, BaseModel):
    module = models.ForeignKey(
        "consultations.Module", on_delete=models.CASCADE, related_name="statements", verbose_name=_("module")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_statements",
        verbose_name=_("written by"),
    )
    text = models.CharField(_("statement"), max_length=STATEMENT_MAX)
    # Staff seed a conversation with a few statements of their own, shown as the city's.
    seeded = models.BooleanField(_("written by the project team"), default=False)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["module", "created"], name="consult_stmt_module")]

    def __str__(self) -> str:
        return self.text[:60]


class StatementVote(BaseModel):
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="votes", verbose_name=_("statement")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("voter"))
    choice = models.SmallIntegerField(_("vote"), choices=Choice.choices)

    class Meta:
        verbose_name = _("vote on a statement")
        verbose_name_plural = _("votes on statements")
        constraints = [
            models.UniqueConstraint(fields=["statement", "user"], name="consult_stmt_vote_once"),
            models.CheckConstraint(
                condition=models.Q(choice__in=[-1, 0, 1]), name="consult_stmt_vote_choice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.choice}"


class RecomputeRequest(models.Model):
    """A module whose groups are out of date: written with each vote, removed by the worker once it has
    recomputed from votes at least as new as `requested_at` (a vote during the computation keeps it)."""

    module = models.OneToOneField(
        "consultations.Module", on_delete=models.CASCADE, primary_key=True, verbose_name=_("module")
    )
    requested_at = models.DateTimeField(_("requested at"), default=clock.now)

    class Meta:
        verbose_name = _("opinion groups to recompute")
        verbose_name_plural = _("opinion groups to recompute")

    def __str__(self) -> str:
        return str(self.module_id)


class OpinionResult(models.Model):
    """The latest computation of a module's groups; replaced whole by the next one."""

    module = models.OneToOneField(
        "consultations.Module",
        on_delete=models.CASCADE,
        related_name="opinion_result",
        verbose_name=_("module"),
    )
    computed_at = models.DateTimeField(_("computed at"))
    participants = models.PositiveIntegerField(_("participants who voted"))
    grouped = models.PositiveIntegerField(_("participants placed in groups"))
    statements = models.PositiveIntegerField(_("statements voted on"))
    votes = models.PositiveIntegerField(_("votes"))
    silhouette = models.FloatField(_("silhouette of the grouping"), null=True, blank=True)
    seconds = models.FloatField(_("computation time, seconds"), default=0)
    # An anonymous sample of participants' places [[x, y, group], …] in a unit box, shuffled: no ids.
    points = models.JSONField(_("places for the scatter"), default=list, blank=True)

    class Meta:
        verbose_name = _("opinion groups result")
        verbose_name_plural = _("opinion groups results")

    def __str__(self) -> str:
        return f"{self.module_id} @ {self.computed_at:%Y-%m-%d %H:%M}"


class OpinionGroup(models.Model):
    result = models.ForeignKey(
        OpinionResult, on_delete=models.CASCADE, related_name="groups", verbose_name=_("result")
    )
    number = models.PositiveSmallIntegerField(_("group number"))  # 1 = the largest
    size = models.PositiveIntegerField(_("participants"))

    class Meta:
        verbose_name = _("opinion group")
        verbose_name_plural = _("opinion groups")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["result", "number"], name="consult_opgroup_number")]

    def __str__(self) -> str:
        return f"{self.result_id}/{self.number}"


class GroupShare(models.Model):
    """How one group voted on one statement; `representative` ranks the statements that set the group
    apart (1 = most), `direction` says whether it agrees or disagrees more than the rest."""

    group = models.ForeignKey(
        OpinionGroup, on_delete=models.CASCADE, related_name="shares", verbose_name=_("group")
    )
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="+", verbose_name=_("statement")
    )
    agree = models.PositiveIntegerField(_("agree"))
    disagree = models.PositiveIntegerField(_("disagree"))
    passed = models.PositiveIntegerField(_("pass"))
    representative = models.PositiveSmallIntegerField(_("representative rank"), null=True, blank=True)
    direction = models.CharField(_("direction"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("group's votes on a statement")
        verbose_name_plural = _("groups' votes on statements")
        constraints = [models.UniqueConstraint(fields=["group", "statement"], name="consult_opshare_once")]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.statement_id}"

    @property
    def seen(self) -> int:
        return self.agree + self.disagree + self.passed

    def _pct(self, n: int) -> int:
        return round(100 * n / self.seen) if self.seen else 0

    @property
    def agree_pct(self) -> int:
        return self._pct(self.agree)

    @property
    def disagree_pct(self) -> int:
        return self._pct(self.disagree)

    @property
    def pass_pct(self) -> int:
        return self._pct(self.passed)


class Consensus(models.Model):
    """A statement every group agrees on, ranked by the product of the groups' agree shares."""

    result = models.ForeignKey(
        OpinionResult, on_delete=models.CASCADE, related_name="consensus", verbose_name=_("result")
    )
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="+", verbose_name=_("statement")
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("consensus score"))

    class Meta:
        verbose_name = _("consensus statement")
        verbose_name_plural = _("consensus statements")
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.result_id}: {self.statement_id}"


register("statement", Statement, module_path="module")
