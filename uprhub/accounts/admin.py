from django.contrib import admin

from . import services
from .models import Membership, Organisation, Profile, RoleChange


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "city", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "acronym", "city"]
    inlines = [MembershipInline]
    readonly_fields = ["created_by", "created_at", "updated_at"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["full_name", "user", "role", "organisation_name", "us_state", "country"]
    list_filter = ["role", "experience", "us_state"]
    search_fields = ["full_name", "user__email", "organisation_name", "city"]
    raw_id_fields = ["user"]
    filter_horizontal = ["themes"]
    readonly_fields = ["email_verified_at", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        # The role goes through set_role so groups, staff flag and audit trail follow it.
        new_role = obj.role
        obj.role = form.initial.get("role", "") if change else ""
        super().save_model(request, obj, form, change)
        if new_role != obj.role:
            services.set_role(obj.user, new_role, actor=request.user, reason="admin site")


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "old_role", "new_role", "actor_label", "reason"]
    list_filter = ["new_role"]
    search_fields = ["user__email", "actor_label", "reason"]

    # An audit trail is read-only, even for admins.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
