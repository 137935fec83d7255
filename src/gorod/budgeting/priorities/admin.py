"""Staff edit games here: a game with its areas and priorities inline, an action with its effects inline.
Plays are shown read-only (they hold no personal data, and only players change them)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from gorod.budgeting.priorities import models


class AreaInline(admin.TabularInline):
    model = models.Area
    extra = 0
    fields = ("order", "key", "name", "name_en")


class PriorityInline(admin.TabularInline):
    model = models.Priority
    extra = 0
    fields = ("order", "key", "name", "name_en", "description", "description_en")


class GameForm(forms.ModelForm):
    class Meta:
        model = models.Game
        fields = (
            "municipality",
            "slug",
            "title",
            "title_en",
            "intro",
            "intro_en",
            "coins",
            "opens_on",
            "closes_on",
            "published",
        )

    def clean_coins(self):
        coins = self.cleaned_data["coins"]
        if self.instance.pk and coins and self.instance.actions.filter(cost__gt=coins).exists():
            raise forms.ValidationError(_("Some actions cost more than this; lower their cost first."))
        return coins


@admin.register(models.Game)
class GameAdmin(admin.ModelAdmin):
    form = GameForm
    list_display = (
        "title",
        "slug",
        "municipality",
        "coins",
        "opens_on",
        "closes_on",
        "published",
        "play_count",
    )
    list_filter = ("municipality", "published")
    search_fields = ("title", "title_en", "slug")
    inlines = [AreaInline, PriorityInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(play_count=Count("plays"))

    @admin.display(description=_("plays"), ordering="play_count")
    def play_count(self, obj) -> int:
        return obj.play_count


class EffectInline(admin.TabularInline):
    model = models.Effect
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the priorities of the action's own game (on the change page, where the game is known).
        if db_field.name == "priority":
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            action = models.Action.objects.filter(pk=object_id).first() if object_id else None
            if action is not None:
                kwargs["queryset"] = models.Priority.objects.filter(game_id=action.game_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(models.Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "area", "cost", "game", "order")
    list_filter = ("game", "area")
    search_fields = ("name", "name_en", "key")
    # Area.__str__ reads its game: without area__game the list makes one query per row.
    list_select_related = ("area__game", "game")
    inlines = [EffectInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "area":
            kwargs["queryset"] = models.Area.objects.select_related("game")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(models.Play)
class PlayAdmin(admin.ModelAdmin):
    list_display = ("pk", "game", "coins_spent", "created", "updated")
    list_filter = ("game",)
    fields = ("game", "coins_spent", "created", "updated")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
