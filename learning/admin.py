"""Admin for competencies, offers and pathways: read-mostly. The pages of the platform are where
they are edited (with their rules); progress rows are written by the platform only."""

from django.contrib import admin

from learning.models import (
    Enrolment,
    Offer,
    Pathway,
    PathwayStep,
    PriorLearningRequest,
    SelfAssessment,
    SelfAssessmentRating,
    StepCompletion,
)


class NoDelete:
    """Catalogue rows are retired or deactivated, never deleted (progress points at them)."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnly(NoDelete):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Offer)
class OfferAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["title", "kind", "permanence", "is_active"]
    list_filter = ["kind", "permanence", "is_active", "providers"]
    search_fields = ["title"]
    filter_horizontal = ["providers", "departments", "competencies", "resources"]


class PathwayStepInline(ReadOnly, admin.TabularInline):
    model = PathwayStep
    fields = ["position", "kind", "title", "offer", "resource", "is_required", "retired_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(Pathway)
class PathwayAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["title", "is_ordered", "is_active", "position"]
    list_filter = ["is_active"]
    inlines = [PathwayStepInline]


@admin.register(PathwayStep)
class PathwayStepAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "pathway", "kind", "position", "is_required", "retired_at"]
    list_filter = ["pathway", "kind"]
    list_select_related = ["pathway"]


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["person", "pathway", "started_at", "left_at"]
    list_filter = ["pathway"]
    list_select_related = ["person", "pathway"]
    search_fields = ["person__email", "person__last_name"]


@admin.register(StepCompletion)
class StepCompletionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["enrolment", "step", "source", "completed_at"]
    list_filter = ["source"]
    list_select_related = ["enrolment__person", "enrolment__pathway", "step"]


@admin.register(PriorLearningRequest)
class PriorLearningRequestAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["enrolment", "step", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["enrolment__person", "enrolment__pathway", "step"]


class RatingInline(ReadOnly, admin.TabularInline):
    model = SelfAssessmentRating
    fields = ["competency", "level"]
    readonly_fields = fields
    extra = 0


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["person", "created_at"]
    list_select_related = ["person"]
    search_fields = ["person__email", "person__last_name"]
    inlines = [RatingInline]
