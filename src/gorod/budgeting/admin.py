"""Admin for setting processes up. Rules, budgets and phases become read-only once voting opens
(services.is_frozen). Ballots, the roll, receipts, census hashes and codes are not in the admin at all:
nothing there is for a person to read, and no one should edit a ballot."""

from __future__ import annotations

from django.contrib import admin

from gorod.budgeting.models import (
    RULE_FIELDS,
    Budget,
    Candidate,
    ExpertAssignment,
    ExpertReview,
    Lottery,
    Milestone,
    Phase,
    Process,
    Project,
    Result,
)
from gorod.budgeting.services import is_frozen


class FrozenInline(admin.TabularInline):
    extra = 0

    def _frozen(self, obj) -> bool:
        return obj is not None and is_frozen(obj)

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class BudgetInline(FrozenInline):
    model = Budget


class PhaseInline(FrozenInline):
    model = Phase


class ExpertInline(admin.TabularInline):
    model = ExpertAssignment
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "slug",
        "municipality",
        "ballot_kind",
        "tally_rule",
        "frozen",
        "results_published",
    )
    list_filter = ("municipality", "ballot_kind", "frozen")
    search_fields = ("title", "slug")
    inlines = (BudgetInline, PhaseInline, ExpertInline)
    readonly_fields = ("frozen", "results_published")
    exclude = ("pabulib_meta",)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and is_frozen(obj):
            fields += list(RULE_FIELDS)
        return fields

    def has_delete_permission(self, request, obj=None):
        return False  # ballots and results are a public record


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "process", "district", "status", "cost")
    list_filter = ("process", "status")
    search_fields = ("title", "code")
    raw_id_fields = ("author",)
    exclude = ("pabulib_fields",)


@admin.register(ExpertReview)
class ExpertReviewAdmin(admin.ModelAdmin):
    list_display = ("project", "expert", "feasible", "cost_estimate", "created")
    readonly_fields = ("project", "expert", "feasible", "cost_estimate", "opinion")

    def has_add_permission(self, request):
        return False  # experts write their opinions on the site (services.review_submit)


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0
    readonly_fields = ("ticket", "outcome", "position")
    raw_id_fields = ("user",)

    def has_add_permission(self, request, obj=None):
        return False  # through the process's manage page, which numbers tickets and freezes the list


@admin.register(Lottery)
class LotteryAdmin(admin.ModelAdmin):
    list_display = ("process", "seats", "reserves", "committed", "drawn")
    readonly_fields = ("commitment", "candidates_hash", "committed", "seed_revealed", "drawn")
    exclude = ("seed_secret",)
    inlines = (CandidateInline,)


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ("project", "date", "money_spent")
    # Photos only through the site's form, which re-encodes them (core.images.clean_photo).
    readonly_fields = ("photo",)


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ("process", "district", "rule", "total_cost", "voters", "voters_with_funded")
    readonly_fields = [f.name for f in Result._meta.fields]

    def has_add_permission(self, request):
        return False
