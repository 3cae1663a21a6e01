from django.contrib import admin

from .models import (
    Delivery,
    MailingList,
    Post,
    ReminderLog,
    ReminderPreference,
    Subscriber,
    Subscription,
)


@admin.register(MailingList)
class MailingListAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "visibility", "is_active", "position"]
    list_filter = ["visibility", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    fields = ["mailing_list", "status", "requested_at", "confirmed_at", "unsubscribed_at"]
    readonly_fields = ["requested_at", "confirmed_at", "unsubscribed_at"]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "user", "confirmed_at", "created_at"]
    search_fields = ["email"]
    raw_id_fields = ["user"]
    inlines = [SubscriptionInline]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    # Posts are written and sent from the site (compose → preview → send), which keeps the
    # delivery log right; the admin only shows them.
    list_display = ["subject", "mailing_list", "status", "sent_at", "finished_at"]
    list_filter = ["status", "mailing_list"]
    search_fields = ["subject"]
    readonly_fields = ["status", "sent_at", "sent_by", "finished_at", "last_error", "body_html"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["email", "post", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status"]
    search_fields = ["email"]
    raw_id_fields = ["post", "subscription"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    list_display = ["subscriber", "opted_in", "days", "updated_at"]
    list_filter = ["opted_in"]
    raw_id_fields = ["subscriber"]
    filter_horizontal = ["states"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["email", "key", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["email", "key"]
    readonly_fields = ["context"]
