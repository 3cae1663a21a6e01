from django.contrib import admin

from . import services
from .models import Deadline, DeadlineChange


class DeadlineChangeInline(admin.TabularInline):
    model = DeadlineChange
    extra = 0
    can_delete = False
    readonly_fields = ["changed_at", "changed_by", "previous_due", "due", "source_note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["kind", "session", "review", "due", "all_day", "is_estimated", "cancelled"]
    list_filter = ["kind", "is_estimated", "cancelled"]
    search_fields = ["review__state__code", "review__state__short_name", "source_note"]
    raw_id_fields = ["review", "session"]
    readonly_fields = ["updated_by", "updated_at", "version"]
    inlines = [DeadlineChangeInline]

    def save_model(self, request, obj: Deadline, form, change: bool) -> None:
        # Through the services, so admin edits leave the same audit record and bump the version.
        values = services.DeadlineValues(
            due=obj.due,
            all_day=obj.all_day,
            time_zone=obj.time_zone,
            is_estimated=obj.is_estimated,
            cancelled=obj.cancelled,
            source_note=obj.source_note or "admin",
        )
        if change:
            # The form already changed `obj`; the audit record needs the stored values.
            stored = Deadline.objects.get(pk=obj.pk)
            services.update_deadline(
                stored, actor=request.user, values=values, expected_version=stored.version
            )
        else:
            saved = services.set_deadline(
                actor=request.user,
                kind=obj.kind,
                values=values,
                session=obj.session,
                review=obj.review,
            )
            obj.pk = saved.pk
