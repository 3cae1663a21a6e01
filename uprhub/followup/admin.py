from django.contrib import admin

from . import models


class GradeInline(admin.TabularInline):
    model = models.Grade
    extra = 0


@admin.register(models.Scale)
class ScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    inlines = [GradeInline]


class RoundRoleInline(admin.TabularInline):
    model = models.RoundRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(models.AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "review", "scale", "as_of", "closed"]
    list_filter = ["closed", "scale"]
    inlines = [RoundRoleInline]
    raw_id_fields = ["review"]


@admin.register(models.Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["recommendation", "round", "grade", "status", "version"]
    list_filter = ["status", "round"]
    raw_id_fields = ["recommendation"]
    readonly_fields = ["version"]


@admin.register(models.Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["recommendation", "round", "organisation", "grade"]
    list_filter = ["round"]
    raw_id_fields = ["recommendation"]


@admin.register(models.Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["label", "review", "method"]
    raw_id_fields = ["recommendations"]


@admin.register(models.CarryForward)
class CarryForwardAdmin(admin.ModelAdmin):
    """People correct the machine's links here; what they save is theirs ("manual") and a
    re-run of ``uprhub followup link`` keeps it."""

    list_display = ["later", "kind", "earlier", "score", "method"]
    list_filter = ["kind", "method"]
    raw_id_fields = ["later", "earlier"]
    readonly_fields = ["score", "method"]

    def save_model(self, request, obj, form, change) -> None:
        obj.method = "manual"
        super().save_model(request, obj, form, change)
