from django import forms
from django.contrib import admin
from django.db import models

from .forms.library import FILE_HELP, clean_upload
from .models import Resource, ResourceRead


class ResourceAdminForm(forms.ModelForm):
    """The admin checks an upload as the library's form does (type from its content, size,
    name): a file a browser would run is never stored."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            self.fields["file"].help_text = FILE_HELP

    def clean_file(self):
        return clean_upload(self.cleaned_data.get("file"))


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    form = ResourceAdminForm
    # A link typed without its scheme is an https address (as on the library's own form).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "kind", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title"]
    filter_horizontal = ["competencies", "topics"]
    raw_id_fields = ["provider_person", "event"]
    readonly_fields = ["name", "document"]


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
