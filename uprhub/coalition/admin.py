from django.contrib import admin

from .models import ApplicationDecision, TaskforceApplication, TaskforceMember, WorkingGroup


class DecisionInline(admin.TabularInline):
    model = ApplicationDecision
    extra = 0
    can_delete = False
    fields = ["created_at", "decision", "actor_label", "message"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        # Decisions are taken on the review page, which e-mails the applicant.
        return False


@admin.register(TaskforceApplication)
class TaskforceApplicationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "organisation_name", "status", "last_submitted_at"]
    list_filter = ["status", "experience", "us_state"]
    search_fields = ["name", "email", "organisation_name"]
    filter_horizontal = ["themes"]
    raw_id_fields = ["user"]
    readonly_fields = ["status", "submission_count", "submitted_at", "last_submitted_at"]
    inlines = [DecisionInline]


@admin.register(ApplicationDecision)
class ApplicationDecisionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "application", "decision", "actor_label"]
    list_filter = ["decision"]
    search_fields = ["application__email", "actor_label", "message"]

    # An audit trail is read-only, even for admins.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TaskforceMember)
class TaskforceMemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "active", "joined_at"]
    list_filter = ["active", "working_groups"]
    search_fields = ["user__email", "user__profile__full_name"]
    raw_id_fields = ["user", "application"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "theme"]
    search_fields = ["name"]
    raw_id_fields = ["theme"]
    filter_horizontal = ["members"]
