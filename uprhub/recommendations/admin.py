from django.contrib import admin

from .models import Label, Recommendation, RecommendingState, Source, Theme, Vocabulary


class RecommendingStateInline(admin.TabularInline):
    model = RecommendingState
    extra = 0
    autocomplete_fields = ["state"]


class LabelInline(admin.TabularInline):
    model = Label
    extra = 0
    autocomplete_fields = ["theme"]
    readonly_fields = ["source", "source_row", "entered_by", "created_at"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["paragraph", "review", "position", "action_category"]
    list_filter = ["position", "action_category", "review__session__cycle"]
    search_fields = ["text", "paragraph"]
    list_select_related = ["review__state", "review__session"]
    raw_id_fields = ["review"]
    inlines = [RecommendingStateInline, LabelInline]

    def save_formset(self, request, form, formset, change):
        # Labels added by hand record who entered them (their provenance).
        instances = formset.save(commit=False)
        for obj in instances:
            if isinstance(obj, Label) and not obj.source_id and not obj.entered_by_id:
                obj.entered_by = request.user
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "rows", "imported_at"]
    readonly_fields = ["summary"]


@admin.register(Vocabulary)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "version"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "vocabulary"]
    list_filter = ["vocabulary"]
    search_fields = ["name", "code"]
