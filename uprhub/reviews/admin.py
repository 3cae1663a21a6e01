from django.contrib import admin

from .models import Cycle, Document, Review, Session, State, StateAlias


class StateAliasInline(admin.TabularInline):
    model = StateAlias
    extra = 0


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name", "un_name", "regional_group", "kind"]
    list_filter = ["regional_group", "kind"]
    search_fields = ["code", "short_name", "un_name", "aliases__name"]
    inlines = [StateAliasInline]


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["number", "start_date", "end_date"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["number", "cycle", "start_date", "end_date", "dates_note"]
    list_filter = ["cycle"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["state", "session", "review_date", "wg_report_symbol"]
    list_filter = ["session__cycle"]
    search_fields = ["state__short_name", "state__code", "wg_report_symbol"]
    autocomplete_fields = ["state"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["symbol", "kind", "review", "published"]
    search_fields = ["symbol", "title"]
