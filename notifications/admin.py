from django.contrib import admin

from .models import Delivery, Preference, ReminderRule, Sequence, SequenceRun, SequenceStep


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: deliveries are written by the services (staff resend from /gestion/envois/)."""

    list_display = ["due_at", "status", "category", "kind", "email", "attempts", "sent_at"]
    list_filter = ["status", "category", "kind"]
    search_fields = ["email", "key", "subject"]
    date_hierarchy = "due_at"
    list_select_related = ["recipient"]
    exclude = ["html", "attachments"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "label", "with_video_link", "with_access", "is_active"]
    list_filter = ["kind", "is_active"]


class SequenceStepInline(admin.TabularInline):
    model = SequenceStep
    extra = 0
    fields = ["delay_days", "subject", "condition", "is_active"]
    show_change_link = True


@admin.register(Sequence)
class SequenceAdmin(admin.ModelAdmin):
    list_display = ["name", "trigger", "newcomers_only", "is_active"]
    inlines = [SequenceStepInline]


@admin.register(SequenceStep)
class SequenceStepAdmin(admin.ModelAdmin):
    list_display = ["sequence", "delay_days", "subject", "is_active"]
    list_filter = ["sequence"]


@admin.register(SequenceRun)
class SequenceRunAdmin(admin.ModelAdmin):
    list_display = ["person", "sequence", "started_at", "stopped_at", "stop_reason"]
    list_filter = ["sequence"]
    list_select_related = ["person", "sequence"]
    raw_id_fields = ["person"]
    search_fields = ["person__email", "person__last_name"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "muted", "updated_at"]
    raw_id_fields = ["user"]
    search_fields = ["user__email", "user__last_name"]
