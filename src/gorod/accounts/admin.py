from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import User
from gorod.core import audit

# What decides what an account may do: a change to any of these is written to the audit trail.
SIMPLE_FIELDS = ("role", "department", "municipality", "is_active", "is_staff", "is_superuser")
ACCESS_FIELDS = (*SIMPLE_FIELDS, "groups", "user_permissions")


@admin.register(User)
class GorodUserAdmin(UserAdmin):
    # The e-mail is an encrypted column with a look-up hash, not Django's plain `email`: it is shown and
    # edited as `email_encrypted`, and searched by nothing (search would need the plaintext).
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("display_name", "first_name", "last_name", "email_encrypted")}),
        ("Gorod", {"fields": ("role", "department", "municipality", "email_verified")}),
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
        changed = [name for name in ACCESS_FIELDS if name in form.changed_data]
        if changed or not change:
            # Values of the role and the flags only: they say what the account may do, not who it is.
            detail = {name: _plain(getattr(obj, name)) for name in changed if name in SIMPLE_FIELDS}
            if "role" in changed:
                detail["role_before"] = form.initial.get("role")
            audit.record(
                action="account.access_change" if change else "account.create",
                actor=request.user,
                object_type="user",
                object_id=obj.pk,
                detail={"role": obj.role, **detail, "changed": ",".join(changed)},
            )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The page shows the account's e-mail and name: a look at a person's contact details.
        if request.method == "GET":
            audit.record(
                action="account.contacts_viewed", actor=request.user, object_type="user", object_id=object_id
            )
        return super().change_view(request, object_id, form_url, extra_context)


def _plain(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    return getattr(value, "pk", str(value))
