from django.contrib import admin

from gorod.open311.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "active", "last_used", "created")
    readonly_fields = ("prefix", "key_hash", "last_used")
