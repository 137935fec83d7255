from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from gorod.notifications import services
from gorod.notifications.models import (
    AreaAlert,
    Delivery,
    Follow,
    InboundUpdate,
    MailAddress,
    Open311Endpoint,
    OutboundSend,
    WebhookEndpoint,
)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: deliveries change only through the worker and delivery_retry."""

    list_display = ("id", "channel", "kind", "state", "attempts", "next_attempt_at", "last_error", "sent_at")
    list_filter = ("state", "channel", "kind", "municipality")
    search_fields = ("=id", "=key", "=report__id")
    exclude = ("recipient", "payload", "recipient_hash")
    raw_id_fields = ("report", "event", "webhook", "outbound", "retried_by")
    actions = ["retry"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry the selected dead deliveries"))
    def retry(self, request, queryset):
        done = 0
        for delivery in queryset.filter(state=Delivery.State.DEAD):
            try:
                services.delivery_retry(delivery=delivery, actor=request.user)
            except PermissionDenied:
                self.message_user(request, _("Only a city administrator may retry."), messages.ERROR)
                return
            done += 1
        self.message_user(request, _("%(n)d deliveries queued again.") % {"n": done})


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("name", "municipality", "url", "active")
    list_filter = ("active", "municipality")


@admin.register(Open311Endpoint)
class Open311EndpointAdmin(admin.ModelAdmin):
    list_display = ("department", "base_url", "active", "polled_until", "last_poll_error")
    list_filter = ("active",)
    readonly_fields = ("polled_until", "last_poll_error")


@admin.register(OutboundSend)
class OutboundSendAdmin(admin.ModelAdmin):
    list_display = (
        "report",
        "endpoint",
        "state",
        "send_fail_count",
        "send_fail_reason",
        "external_id",
        "sent_at",
    )
    list_filter = ("state", "endpoint")
    raw_id_fields = ("report",)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(InboundUpdate)
class InboundUpdateAdmin(admin.ModelAdmin):
    list_display = ("endpoint", "update_id", "report", "status", "applied", "reason", "created")
    list_filter = ("applied", "endpoint")
    raw_id_fields = ("report",)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AreaAlert)
class AreaAlertAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "district", "radius_m", "frequency", "created")
    list_filter = ("frequency", "municipality")
    raw_id_fields = ("user",)


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("id", "report", "user", "confirmed", "created")
    list_filter = ("confirmed",)
    exclude = ("email", "email_hash")
    raw_id_fields = ("report", "user")


@admin.register(MailAddress)
class MailAddressAdmin(admin.ModelAdmin):
    """Read-only: an address changes state only by its owner's links (confirm, stop) or the worker. The
    address itself is not stored, only its keyed hash: search by id."""

    list_display = ("id", "state", "confirmed_at", "stopped_at", "confirm_requested_at", "day_count")
    list_filter = ("state",)
    search_fields = ("=id",)
    exclude = ("address_hash",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
