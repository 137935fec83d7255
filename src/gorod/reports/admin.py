from django.contrib import admin

from gorod.reports.models import Report, ReportEvent


class EventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = (
        "at",
        "actor",
        "action",
        "from_status",
        "to_status",
        "public_note",
        "private_note",
        "department",
    )

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only here: status changes go through the workflow service (the back office, issue 3)."""

    list_display = ("id", "category", "district", "department", "status", "created", "deadline")
    list_filter = ("status", "municipality", "district")
    list_select_related = ("category", "district", "department")
    show_full_result_count = False
    inlines = [EventInline]
    exclude = ("contact_name", "contact_email", "contact_phone", "email_hash")
    raw_id_fields = ("duplicate_of", "author")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting would bypass the workflow's history and leave the photos served; erasure of personal
        # data is a service of its own (issue 3).
        return False
