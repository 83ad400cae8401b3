from django.contrib import admin

from .models import (
    Background,
    CoordinatorProfile,
    HandoverFile,
    Post,
    PostClaim,
    Scheme,
    Tenure,
    Topic,
)


@admin.register(CoordinatorProfile)
class CoordinatorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "commune", "employer", "status"]
    list_filter = ["status", "commune__department"]
    list_select_related = ["user", "commune"]
    raw_id_fields = ["user", "commune", "reviewed_by"]
    search_fields = ["user__email", "user__last_name", "employer"]


@admin.register(Background)
class BackgroundAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "department", "status", "ends_on"]
    list_filter = ["kind", "status", "department"]
    list_select_related = ["department"]
    search_fields = ["name", "carrier_name"]
    autocomplete_fields = ["communes"]


class TenureInline(admin.TabularInline):
    model = Tenure
    raw_id_fields = ["person"]
    extra = 0


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "fte", "opened_on", "closed_on", "status_unknown"]
    list_filter = ["status_unknown"]
    filter_horizontal = ["schemes"]
    inlines = [TenureInline]


@admin.register(Tenure)
class TenureAdmin(admin.ModelAdmin):
    list_display = ["person", "post", "started_on", "ended_on", "end_reason"]
    list_select_related = ["person", "post"]
    raw_id_fields = ["person", "post"]
    date_hierarchy = "started_on"


@admin.register(PostClaim)
class PostClaimAdmin(admin.ModelAdmin):
    list_display = ["person", "post", "started_on", "status"]
    raw_id_fields = ["person", "post", "reviewed_by"]


@admin.register(HandoverFile)
class HandoverFileAdmin(admin.ModelAdmin):
    list_display = ["post", "updated_at", "updated_by_name", "completion_requested_on"]
    raw_id_fields = ["post"]
