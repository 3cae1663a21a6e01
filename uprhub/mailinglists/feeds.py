"""Atom feed of the posts of public lists (members-only lists never appear here)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Post, Visibility


class PublicPostsFeed(Feed):
    feed_type = Atom1Feed
    title = _("UPR Hub mailing lists")
    subtitle = _("Messages sent to UPR Hub's public mailing lists.")
    link = reverse_lazy("mailinglists:index")

    def feed_url(self) -> str:
        return reverse("mailinglists:feed")

    def items(self) -> QuerySet[Post]:
        return (
            Post.objects.published()
            .filter(mailing_list__visibility=Visibility.PUBLIC)
            .select_related("mailing_list")
            .order_by("-sent_at")[:50]
        )

    def item_title(self, item: Post) -> str:
        return item.subject

    def item_description(self, item: Post) -> str:
        # Sanitised when the post was saved (rendering.markdown_to_html).
        return item.body_html

    def item_link(self, item: Post) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Post) -> datetime | None:
        return item.sent_at

    def item_updateddate(self, item: Post) -> datetime | None:
        return item.sent_at

    def item_categories(self, item: Post) -> list[str]:
        return [item.mailing_list.name]
