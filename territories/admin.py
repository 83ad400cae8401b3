from django.contrib import admin

from .models import Commune, Department, Intercommunality


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
