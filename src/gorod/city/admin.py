from django.contrib import admin

from gorod.city import models


class AttributeInline(admin.StackedInline):
    model = models.Attribute
    extra = 0


class SiteHostInline(admin.TabularInline):
    model = models.SiteHost
    extra = 0


@admin.register(models.Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "jurisdiction_id", "site_url", "is_sandbox")
    inlines = [SiteHostInline]
    # Only `import_city` stores a logo: it re-encodes the file (city.cityfile.brand), an upload would not.
    # Only the city file makes a training sandbox (docs/sandbox.md): a click here would publish made-up
    # reports as a city's, or hide a real city from Open311 and open data.
    readonly_fields = ("logo", "is_sandbox")


@admin.register(models.District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "slug", "population", "municipality")
    list_filter = ("municipality",)
    search_fields = ("name", "name_en", "slug")


@admin.register(models.Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "email", "municipality")
    list_filter = ("municipality",)
    search_fields = ("name", "slug")


@admin.register(models.ObjectType)
class ObjectTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order", "municipality")


@admin.register(models.Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "service_code",
        "object_type",
        "moderation_days",
        "deadline_days",
        "season_start",
        "season_end",
        "photo_proof_required",
        "anonymous_allowed",
        "active",
    )
    list_filter = ("municipality", "object_type", "active", "photo_proof_required", "anonymous_allowed")
    search_fields = ("name", "name_en", "service_code")
    inlines = [AttributeInline]


@admin.register(models.RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("category", "district", "department")
    list_filter = ("municipality", "department", "district")
    autocomplete_fields = ("category", "district", "department")


@admin.register(models.CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "note", "municipality")
    list_filter = ("municipality", "kind")
    date_hierarchy = "date"


@admin.register(models.Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "lat", "lon", "municipality")
    search_fields = ("name", "name_en")
