from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from gorod.accounts.models import User


@admin.register(User)
class GorodUserAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Gorod", {"fields": ("role", "department")}))
    list_display = ("username", "role", "department", "is_staff", "is_active")
    list_filter = ("role", "is_staff", "is_active")
