from django.contrib import admin
from django.db import models

from .models import Resource, ResourceRead


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    # A link typed without its scheme is an https address (as on the library's own form).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "kind", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title"]
    filter_horizontal = ["competencies"]


@admin.register(ResourceRead)
class ResourceReadAdmin(admin.ModelAdmin):
    """Readings complete pathway steps: recorded by the platform, never typed."""

    list_display = ["resource", "person", "read_at"]
    list_select_related = ["resource", "person"]
    raw_id_fields = ["resource", "person"]
    search_fields = ["resource__title", "person__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
