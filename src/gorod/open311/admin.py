from django.contrib import admin

from gorod.open311.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "active", "last_used", "created")
    readonly_fields = ("name", "prefix", "key_hash", "last_used")

    def has_add_permission(self, request):
        # A key is only useful when its one plaintext copy is shown: `gorod create_api_key NAME`.
        return False
