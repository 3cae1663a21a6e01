from django.contrib import admin

from . import services
from .models import Membership, Organisation, OrganisationEvent, Profile, RoleChange


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "city", "country", "verified_at"]
    list_filter = ["kind", "country", ("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "acronym", "city"]
    inlines = [MembershipInline]
    # Claims are confirmed on the organisation's page, which records who did it.
    readonly_fields = ["verified_at", "verified_by", "created_by", "created_at", "updated_at"]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        # A member added here is added by this admin, audited like on the site.
        for membership in formset.save(commit=False):
            if membership.pk is None:
                services.add_member(
                    membership.organisation,
                    membership.user,
                    actor=request.user,
                    role_in_org=membership.role_in_org,
                )
            else:
                membership.save()
        for membership in formset.deleted_objects:
            membership.delete()
        return None


@admin.register(OrganisationEvent)
class OrganisationEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organisation_label", "action", "user_label", "actor_label"]
    list_filter = ["action"]
    search_fields = ["organisation_label", "user_label", "actor_label", "note"]

    # An audit trail is read-only, even for admins.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
