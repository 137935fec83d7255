"""Participatory budgeting: processes, their phases and budgets, ideas/projects, support, the commission
lottery, expert review, ballots, the voter roll, receipts, eligibility (census, voting codes) and the
implementation milestones.

Secrecy of the vote: a Ballot holds only its content (scope, choices, an hour-truncated cast time). The
VoterRoll holds a keyed one-way link (HMAC of the voter's identity and the process) pointing at the
voter's current ballot, used only to replace it on a re-vote. Nothing shown, published or exported
follows that link; receipts are published as hashes, without contents."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.budgeting.phases import PhaseKind
from gorod.core.crypto import EncryptedTextField
from gorod.core.i18n import localized
from gorod.core.models import BaseModel

# The tally rules (gorod.budgeting.tally.RULES); names as in the issue and `pb_tally --rule`.
TALLY_RULES: tuple[tuple[str, Any], ...] = (
    ("greedy", _("greedy by votes")),
    ("greedy-cost", _("greedy by votes per cost")),
    ("max-welfare", _("maximal total support")),
    ("phragmen", _("sequential Phragmén")),
    ("mes", _("Method of Equal Shares")),
    ("mes-cost", _("Method of Equal Shares (cost satisfaction)")),
    ("mes-add1", _("Method of Equal Shares, completed")),
)


def _salt() -> str:
    return secrets.token_hex(16)


class Process(BaseModel):
    class BallotKind(models.TextChoices):
        APPROVAL = "approval", _("approval (choose several)")
        KNAPSACK = "knapsack", _("knapsack (fill the budget)")
        CUMULATIVE = "cumulative", _("cumulative (share out points)")
        RANKED = "ranked", _("ranked (order your favourites)")

    class CensusSecret(models.TextChoices):
        BIRTH_DATE = "birth_date", _("date of birth")
        DOCUMENT = "document", _("last 4 digits of a document number")
        BOTH = "both", _("date of birth and last 4 digits of a document number")

    municipality = models.ForeignKey(
        "city.Municipality",
        on_delete=models.CASCADE,
        related_name="pb_processes",
        verbose_name=_("municipality"),
    )
    slug = models.SlugField(_("slug"), max_length=80)
    title = models.CharField(_("title (Russian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    published = models.BooleanField(_("shown on the site"), default=True)
    currency = models.CharField(_("currency unit"), max_length=10, default="RUB")

    ballot_kind = models.CharField(
        _("ballot"), max_length=20, choices=BallotKind.choices, default=BallotKind.APPROVAL
    )
    min_choices = models.PositiveSmallIntegerField(_("at least this many projects (approval)"), default=1)
    max_choices = models.PositiveSmallIntegerField(
        _("at most this many projects (approval; empty: no limit)"), null=True, blank=True
    )
    min_spend_percent = models.PositiveSmallIntegerField(
        _("a knapsack ballot spends at least this share of the budget, %"),
        default=0,
        validators=[MaxValueValidator(100)],
    )
    points_total = models.PositiveSmallIntegerField(_("points to share out (cumulative)"), default=10)
    points_per_project = models.PositiveSmallIntegerField(
        _("at most this many points on one project (cumulative)"), default=5
    )
    ranked_length = models.PositiveSmallIntegerField(_("projects to rank (ranked)"), default=3)
    tally_rule = models.CharField(_("tally rule"), max_length=20, choices=TALLY_RULES, default="mes-add1")

    min_age = models.PositiveSmallIntegerField(_("minimum age of voters"), default=16)
    allow_census = models.BooleanField(_("residents on the census list may vote"), default=True)
    # A census number alone is not enough to vote: anyone who learns it could. The resident also gives
    # what the city holds about them and a stranger does not know (eligibility.census).
    census_secret = models.CharField(
        _("census voters also give"),
        max_length=20,
        choices=CensusSecret.choices,
        default=CensusSecret.BIRTH_DATE,
    )
    allow_codes = models.BooleanField(_("holders of a mailed voting code may vote"), default=False)
    allow_oidc = models.BooleanField(
        _("residents confirmed by the identity provider may vote"), default=False
    )

    frozen = models.BooleanField(_("rules frozen (voting has opened)"), default=False)
    results_published = models.DateTimeField(_("results published"), null=True, blank=True)
    # Keys the census hashes and the roll links of this process only: a leaked table of one process
    # says nothing about the voters of another.
    salt = models.CharField(_("salt"), max_length=64, default=_salt, editable=False)
    # An imported Pabulib file's META (in order) and column lists, kept for a faithful export:
    # {"meta": {...}, "project_columns": [...], "vote_columns": [...]}.
    pabulib_meta = models.JSONField(_("Pabulib metadata of the imported file"), default=dict, blank=True)

    class Meta:
        verbose_name = _("budgeting process")
        verbose_name_plural = _("budgeting processes")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="pb_process_slug_unique")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def label(self) -> str:
        return localized(self.title, self.title_en)

    @property
    def label_description(self) -> str:
        return localized(self.description, self.description_en)

    def phase_list(self) -> list[Phase]:
        cached = getattr(self, "_phase_cache", None)
        if cached is None:
            cached = list(self.phases.all())
            self._phase_cache = cached
        return cached


# The fields that define how ballots are cast and counted: frozen once voting opens.
RULE_FIELDS: tuple[str, ...] = (
    "ballot_kind",
    "min_choices",
    "max_choices",
    "min_spend_percent",
    "points_total",
    "points_per_project",
    "ranked_length",
    "tally_rule",
    "min_age",
    "allow_census",
    "census_secret",
    "allow_codes",
    "allow_oidc",
)


class Budget(BaseModel):
    """The money for one scope: the whole city (no district) or one district."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("process")
    )
    district = models.ForeignKey(
        "city.District", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(fields=["process", "district"], name="pb_budget_scope_unique"),
            models.UniqueConstraint(
                fields=["process"], condition=models.Q(district=None), name="pb_budget_city_unique"
            ),
        ]


class Phase(BaseModel):
    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="phases", verbose_name=_("process")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PhaseKind.choices)
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))
    support_threshold = models.PositiveIntegerField(
        _("supporters an idea needs to go on (support phase)"), default=0
    )

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts", "id"]
        constraints = [models.UniqueConstraint(fields=["process", "kind"], name="pb_phase_kind_unique")]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class Project(BaseModel):
    """An idea from the time it is submitted; a project once it is on the ballot. `code` is its public
    id, the Pabulib project_id."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        SUPPORTED = "supported", _("supported")
        IN_REVIEW = "in_review", _("in expert review")
        FEASIBLE = "feasible", _("feasible")
        INFEASIBLE = "infeasible", _("not feasible")
        ON_BALLOT = "on_ballot", _("on the ballot")
        FUNDED = "funded", _("funded")
        NOT_FUNDED = "not_funded", _("not funded")

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="projects", verbose_name=_("process")
    )
    code = models.CharField(_("project id"), max_length=64)
    district = models.ForeignKey(
        "city.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("district (empty: city-wide)"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pb_ideas",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    cost = models.DecimalField(
        _("cost estimate"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    # Columns of an imported Pabulib file beyond id, cost and name (category, votes, selected, …).
    pabulib_fields = models.JSONField(_("extra Pabulib columns"), default=dict, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["process", "code"], name="pb_project_code_unique")]

    def __str__(self) -> str:
        return self.title


class Support(BaseModel):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="supports", verbose_name=_("idea")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("supporter"))

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="pb_support_once")]


class Lottery(BaseModel):
    """The public draw of the residents' commission. The city commits to a secret seed (publishing its
    SHA-256 and the hash of the frozen candidate list), then reveals the seed; anyone can rerun the draw
    (budgeting.lottery.draw) from the seed and the published candidate list."""

    process = models.OneToOneField(
        Process, on_delete=models.CASCADE, related_name="lottery", verbose_name=_("process")
    )
    seats = models.PositiveSmallIntegerField(_("members"), default=7, validators=[MinValueValidator(1)])
    reserves = models.PositiveSmallIntegerField(_("reserves"), default=3)
    commitment = models.CharField(_("SHA-256 of the seed"), max_length=64, blank=True)
    candidates_hash = models.CharField(_("SHA-256 of the candidate list"), max_length=64, blank=True)
    committed = models.DateTimeField(_("seed committed"), null=True, blank=True)
    # Secret until the draw: encrypted at rest, shown only once revealed (seed_revealed).
    seed_secret = EncryptedTextField(_("seed (secret until the draw)"), blank=True)
    seed_revealed = models.CharField(_("seed"), max_length=128, blank=True)
    drawn = models.DateTimeField(_("drawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("commission lottery")
        verbose_name_plural = _("commission lotteries")


class Candidate(BaseModel):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("not drawn yet")
        MEMBER = "member", _("member")
        RESERVE = "reserve", _("reserve")
        NOT_DRAWN = "not_drawn", _("not drawn")

    lottery = models.ForeignKey(
        Lottery, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("lottery")
    )
    ticket = models.CharField(_("ticket"), max_length=20)
    # Published with the draw: the name the candidate agreed to show.
    public_name = models.CharField(_("name shown publicly"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("account")
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    position = models.PositiveIntegerField(_("position in the draw"), null=True, blank=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["ticket"]
        constraints = [
            models.UniqueConstraint(fields=["lottery", "ticket"], name="pb_candidate_ticket_unique")
        ]


class ExpertAssignment(BaseModel):
    """An account asked to review this process's projects; it may be an independent outside expert with
    an ordinary (citizen) account: the assignment, not a staff role, makes them an expert."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="experts", verbose_name=_("process")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pb_expert_for",
        verbose_name=_("expert"),
    )
    affiliation = models.CharField(_("affiliation shown with opinions"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        constraints = [models.UniqueConstraint(fields=["process", "user"], name="pb_expert_once")]


class ExpertReview(BaseModel):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("project")
    )
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("expert"))
    feasible = models.BooleanField(_("feasible"))
    cost_estimate = models.DecimalField(
        _("cost estimate"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    opinion = models.TextField(_("public opinion"))

    class Meta:
        verbose_name = _("expert review")
        verbose_name_plural = _("expert reviews")
        ordering = ["created"]
        constraints = [models.UniqueConstraint(fields=["project", "expert"], name="pb_review_once")]


class Ballot(models.Model):
    """Content only: never a voter, an account, an address or an exact time."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("process")
    )
    district = models.ForeignKey(
        "city.District", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("scope (district)")
    )
    choices = models.JSONField(_("chosen project ids, in order"), default=list)
    points = models.JSONField(_("points per chosen project"), null=True, blank=True)
    cast_hour = models.DateTimeField(_("cast (to the hour)"), null=True, blank=True)
    # Only for ballots imported from a Pabulib file: its voter_id and extra columns, already public there.
    voter_label = models.CharField(_("voter id in the imported file"), max_length=64, blank=True)
    extra = models.JSONField(_("extra columns of the imported file"), default=dict, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        indexes = [models.Index(fields=["process", "district"], name="pb_ballot_scope")]

    def __str__(self) -> str:
        return f"ballot {self.pk}"


class VoterRoll(models.Model):
    """One row per voter and scope: link = HMAC(secret, identity, process, scope). Used only to find and
    replace the voter's current ballot; never shown, published or exported."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="roll", verbose_name=_("process")
    )
    link = models.CharField(_("keyed link"), max_length=64, unique=True)
    ballot = models.OneToOneField(
        Ballot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current ballot"),
    )

    class Meta:
        verbose_name = _("voter roll entry")
        verbose_name_plural = _("voter roll")

    def __str__(self) -> str:
        return f"roll entry {self.pk}"


class Receipt(models.Model):
    """A receipt is the SHA-256 of the code shown once to the voter. Counted while its ballot exists;
    a re-vote deletes the old ballot, which leaves the old receipt marked as replaced."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("process")
    )
    receipt_hash = models.CharField(_("receipt hash"), max_length=64, unique=True)
    ballot = models.OneToOneField(
        Ballot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="receipt",
        verbose_name=_("ballot"),
    )

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["receipt_hash"]

    def __str__(self) -> str:
        return f"receipt {self.pk}"


class CensusEntry(models.Model):
    """One eligible resident, by keyed hashes of the identifier the city uploaded and of the secrets that
    go with it (never the identifier, the date of birth or the document number)."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="census", verbose_name=_("process")
    )
    identifier_hash = models.CharField(_("identifier hash"), max_length=64)
    district = models.ForeignKey(
        "city.District", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    birth_hash = models.CharField(_("keyed hash of the date of birth"), max_length=64, blank=True)
    document_hash = models.CharField(_("keyed hash of the document's last digits"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("census entry")
        verbose_name_plural = _("census entries")
        constraints = [models.UniqueConstraint(fields=["process", "identifier_hash"], name="pb_census_once")]

    def __str__(self) -> str:
        return f"census entry {self.pk}"


class VotingCode(models.Model):
    """A one-time voting code for printing and mailing; only its keyed hash is kept. The first use spends
    it; an account that spent it may use it again to change that same ballot, no one else."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="codes", verbose_name=_("process")
    )
    code_hash = models.CharField(_("code hash"), max_length=64, unique=True)
    district = models.ForeignKey(
        "city.District", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    batch = models.PositiveIntegerField(_("batch"), default=1)
    used = models.DateTimeField(_("used"), null=True, blank=True)
    used_by = models.CharField(_("keyed hash of the account that used it"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("voting code")
        verbose_name_plural = _("voting codes")

    def __str__(self) -> str:
        return f"voting code {self.pk}"


class Result(BaseModel):
    """A published tally of one scope under one rule (the process's rule, and greedy and MES to compare)."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="results", verbose_name=_("process")
    )
    district = models.ForeignKey(
        "city.District", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("scope (district)")
    )
    rule = models.CharField(_("rule"), max_length=20, choices=TALLY_RULES)
    funded = models.JSONField(_("funded project ids"), default=list)
    total_cost = models.DecimalField(_("total cost"), max_digits=16, decimal_places=2, default=0)
    voters = models.PositiveIntegerField(_("ballots counted"), default=0)
    voters_with_funded = models.PositiveIntegerField(_("voters with at least one funded project"), default=0)
    details = models.JSONField(_("explanations"), default=dict, blank=True)
    seconds = models.FloatField(_("seconds to compute"), default=0)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(fields=["process", "district", "rule"], name="pb_result_unique"),
            models.UniqueConstraint(
                fields=["process", "rule"], condition=models.Q(district=None), name="pb_result_city_unique"
            ),
        ]


def _milestone_path(instance: Milestone, filename: str) -> str:
    # Never the uploader's file name: it may carry personal data or hostile text.
    return f"pb/{instance.project_id // 1000:06d}/{uuid.uuid4().hex}.jpg"


class Milestone(BaseModel):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    date = models.DateField(_("date"))
    text = models.TextField(_("what was done"))
    money_spent = models.DecimalField(
        _("money spent so far"), max_digits=16, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    photo = models.ImageField(_("photo"), upload_to=_milestone_path, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["date", "id"]
