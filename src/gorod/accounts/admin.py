from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import User


@admin.register(User)
class GorodUserAdmin(UserAdmin):
    # The e-mail is an encrypted column with a look-up hash, not Django's plain `email`: it is shown and
    # edited as `email_encrypted`, and searched by nothing (search would need the plaintext).
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("display_name", "first_name", "last_name", "email_encrypted")}),
        ("Gorod", {"fields": ("role", "department", "email_verified")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    list_display = ("username", "role", "department", "is_staff", "is_active")
    list_filter = ("role", "is_staff", "is_active")
    search_fields = ("username",)
    readonly_fields = ("email_verified",)

    def save_model(self, request, obj, form, change):
        # Keep the look-up hash in step with an address edited here.
        obj.email = obj.email_encrypted
        if "email_encrypted" in form.changed_data:
            obj.email_verified = False
        super().save_model(request, obj, form, change)
