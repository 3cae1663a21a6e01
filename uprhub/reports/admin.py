"""Admin for shadow reports (mostly read-only: writes go through the editor's services so
versions, revisions and sign-offs stay right) and the validator's rules."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Citation,
    Comment,
    Paragraph,
    Report,
    ReportOrganisation,
    ReportRole,
    ReportSection,
    Revision,
    ValidationRule,
)


class ReportOrganisationInline(admin.TabularInline):
    model = ReportOrganisation
    extra = 0
    raw_id_fields = ["organisation"]
    readonly_fields = ["signed_off_at", "signed_off_by"]


class ReportRoleInline(admin.TabularInline):
    model = ReportRole
    extra = 0
    raw_id_fields = ["user", "added_by"]


class ReportSectionInline(admin.TabularInline):
    model = ReportSection
    extra = 0
    fields = ["kind", "title", "order"]
    show_change_link = True


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "review", "submission_type", "status", "language", "updated_at"]
    list_filter = ["status", "submission_type", "language"]
    search_fields = ["title", "review__state__short_name", "review__state__code"]
    raw_id_fields = ["review", "created_by", "finalised_by"]
    readonly_fields = [
        "version",
        "content_changed_at",
        "created_at",
        "updated_at",
        "finalised_at",
        "finalised_by",
    ]
    inlines = [ReportOrganisationInline, ReportRoleInline, ReportSectionInline]


class ParagraphInline(admin.StackedInline):
    model = Paragraph
    extra = 0
    fields = ["order", "text", "footnotes", "version", "removed_at"]
    readonly_fields = ["text", "footnotes", "version", "removed_at"]
    show_change_link = True


@admin.register(ReportSection)
class ReportSectionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "report", "order"]
    list_filter = ["kind"]
    search_fields = ["title", "report__title"]
    raw_id_fields = ["report"]
    inlines = [ParagraphInline]


class RevisionInline(admin.TabularInline):
    model = Revision
    fk_name = "paragraph"
    extra = 0
    can_delete = False
    fields = ["version", "kind", "author", "created_at", "text"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    """Read-only: editing here would bypass the version check and the history."""

    list_display = ["__str__", "section", "version", "updated_at", "removed_at"]
    search_fields = ["text", "section__report__title"]
    readonly_fields = [
        "section",
        "order",
        "text",
        "footnotes",
        "version",
        "updated_by",
        "updated_at",
        "created_at",
        "removed_at",
    ]
    inlines = [RevisionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["recommendation", "section", "added_by", "added_at"]
    raw_id_fields = ["section", "recommendation", "added_by"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "paragraph", "author", "created_at", "resolved_at"]
    list_filter = ["resolved_at"]
    raw_id_fields = ["paragraph", "author", "resolved_by"]


@admin.register(ValidationRule)
class ValidationRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "cycle", "severity", "enabled", "source_note"]
    list_filter = ["severity", "enabled", "cycle"]
    list_editable = ["enabled"]
    search_fields = ["code", "source_note", "message_override"]
