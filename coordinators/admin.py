from django.contrib import admin

from .models import (
    Commune,
    CoordinatorProfile,
    Department,
    Intercommunality,
    Membership,
    Organisation,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Intercommunality)
class IntercommunalityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "siren"]
    list_filter = ["kind"]
    search_fields = ["name", "siren"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "code_insee", "department", "ept", "epci", "population"]
    list_filter = ["department", "kind"]
    list_select_related = ["department", "ept", "epci"]
    search_fields = ["name", "code_insee"]


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    filter_horizontal = ["departments"]
    inlines = [MembershipInline]


@admin.register(CoordinatorProfile)
class CoordinatorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "commune", "employer", "status"]
    list_filter = ["status", "commune__department"]
    list_select_related = ["user", "commune"]
    raw_id_fields = ["user", "commune", "reviewed_by"]
    search_fields = ["user__email", "user__last_name", "employer"]
