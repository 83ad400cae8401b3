from django.contrib import admin

from .models import Competency, CompetencyDomain


class NoDelete:
    """Competencies are deactivated, never deleted (self-assessments rate them)."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CompetencyDomain)
class CompetencyDomainAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["name", "position"]


@admin.register(Competency)
class CompetencyAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["name", "domain", "position", "is_active"]
    list_filter = ["domain", "is_active"]
    list_select_related = ["domain"]
    search_fields = ["name"]
