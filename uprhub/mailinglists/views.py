"""Pages of the mailing lists: subscribe, confirm, unsubscribe, preferences, archives, and
the coordinators' compose → preview → send → delivery log.

Public forms carry a honeypot and a per-address rate limit. Links from e-mails are
authenticated by their signed token only; the RFC 8058 one-click endpoints are
`csrf_exempt` because mail providers POST to them without a session or CSRF cookie.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from uprhub.accounts.permissions import is_member
from uprhub.core import antispam
from uprhub.core.outbox import mail_is_captured
from uprhub.core.rules import has_perm, perm_required

from . import selectors, services, tokens
from .forms import PostForm, PreferencesForm, PreferencesLinkForm, SubscribeForm
from .models import (
    DeliveryStatus,
    MailingList,
    PostStatus,
    Subscriber,
    SubscriptionStatus,
)
from .rendering import markdown_to_html

#: Used when settings.UPRHUB_RATE_LIMITS has no entry for a scope (see settings/auth.py).
DEFAULT_RATES = {"list_subscribe": "5/h", "list_preferences": "5/h", "list_token": "30/h"}


def rate_limited(
    scope: str, methods: tuple[str, ...] = ("POST",)
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """`uprhub.core.antispam.rate_limited` with this app's default rates."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                rate = getattr(settings, "UPRHUB_RATE_LIMITS", {}).get(scope, DEFAULT_RATES[scope])
                if antispam.hit(scope, antispam.client_key(request), rate):
                    return antispam.too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "mailinglists/link_invalid.html", status=400)


# ---------------------------------------------------------------- subscribing


@rate_limited("list_subscribe")
def index(request: HttpRequest) -> HttpResponse:
    all_lists = selectors.active_lists()
    subscribable = all_lists.visible_to(request.user)
    initial = {"email": request.user.email} if request.user.is_authenticated else None
    form = SubscribeForm(request.POST or None, lists=subscribable, initial=initial)
    if request.method == "POST":
        if form.is_spam():
            return redirect("mailinglists:subscribe_done")  # a bot learns nothing
        if form.is_valid():
            try:
                outcome = services.request_subscription(
                    email=form.cleaned_data["email"],
                    lists=form.cleaned_data["lists"],
                    user=request.user,
                )
            except services.SubscriptionError:
                form.add_error(
                    "lists",
                    _("Members-only lists can only be sent to your own account's address."),
                )
            else:
                if outcome.owner:
                    messages.success(request, _("You are subscribed."))
                    return redirect("mailinglists:preferences")
                # The same page whatever happened (no enumeration).
                return redirect("mailinglists:subscribe_done")
    return render(
        request,
        "mailinglists/index.html",
        {
            "form": form,
            "lists": all_lists,
            # Whether the members-only lists' archive links are shown.
            "is_member": has_perm(request.user, "mailinglists.read_members_archive"),
        },
    )


def subscribe_done(request: HttpRequest) -> HttpResponse:
    return render(request, "mailinglists/subscribe_done.html")


@rate_limited("list_token", methods=("GET", "POST"))
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    # GET only shows a button: mail scanners that prefetch links must not confirm.
    try:
        if request.method == "POST":
            subscriber, lists = services.confirm_subscription(token)
            return render(
                request,
                "mailinglists/confirmed.html",
                {"lists": lists, "preferences_url": tokens.preferences_url(subscriber)},
            )
        subscriber, lists = services.pending_confirmation(token)
    except tokens.InvalidToken:
        return _invalid_link(request)
    return render(request, "mailinglists/confirm.html", {"lists": lists, "token": token})


@csrf_exempt  # RFC 8058: mail providers POST without a session; the signed token authenticates
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscription = tokens.read_unsubscribe_token(token)
    except tokens.InvalidToken:
        return _invalid_link(request)
    if request.method == "POST":
        services.unsubscribe(subscription)
        return render(
            request,
            "mailinglists/unsubscribed.html",
            {
                "mailing_list": subscription.mailing_list,
                "preferences_url": tokens.preferences_url(subscription.subscriber),
            },
        )
    # GET must not unsubscribe (RFC 8058 §3.2: link checkers and prefetchers use GET).
    return render(
        request,
        "mailinglists/unsubscribe.html",
        {
            "mailing_list": subscription.mailing_list,
            "already": subscription.status == SubscriptionStatus.UNSUBSCRIBED,
        },
    )


@csrf_exempt  # RFC 8058 one-click, as above
@require_http_methods(["GET", "POST"])
def reminders_off(request: HttpRequest, token: str) -> HttpResponse:
    try:
        preference = tokens.read_reminders_off_token(token)
    except tokens.InvalidToken:
        return _invalid_link(request)
    context = {"preferences_url": tokens.preferences_url(preference.subscriber)}
    if request.method == "POST":
        services.reminders_off(preference)
        return render(request, "mailinglists/reminders_off_done.html", context)
    return render(
        request,
        "mailinglists/reminders_off.html",
        {**context, "already": not preference.opted_in},
    )


# ---------------------------------------------------------------- preferences


def _preferences_page(
    request: HttpRequest, subscriber: Subscriber | None, *, action: str
) -> HttpResponse:
    offered = selectors.offered_lists(subscriber, request.user)
    states = selectors.reminder_states()
    preference = (
        getattr(subscriber, "reminder_preference", None) if subscriber is not None else None
    )
    initial: dict[str, Any] = {"days": [60, 30, 7, 1]}
    if subscriber is not None:
        initial["lists"] = selectors.subscribed_lists(subscriber)
    if preference is not None:
        initial.update(
            reminders=preference.opted_in,
            states=list(preference.states.all()),
            days=preference.days,
        )
    form = PreferencesForm(request.POST or None, lists=offered, states=states, initial=initial)
    if request.method == "POST" and form.is_valid():
        if subscriber is None:
            subscriber = services.subscriber_for_user(request.user, create=True)
        assert subscriber is not None
        services.save_preferences(
            subscriber,
            offered=list(offered),
            chosen=form.cleaned_data["lists"],
            reminders=form.cleaned_data["reminders"],
            states=form.cleaned_data["states"],
            days=form.cleaned_data["days"],
        )
        messages.success(request, _("Your preferences are saved."))
        return HttpResponseRedirect(action)
    pending = selectors.pending_subscriptions(subscriber) if subscriber is not None else []
    return render(
        request,
        "mailinglists/preferences.html",
        {
            "form": form,
            "subscriber": subscriber,
            "email": subscriber.email if subscriber else request.user.email,
            "action": action,
            "pending": pending,
            "is_member": is_member(request.user)
            or bool(subscriber is not None and subscriber.is_member),
        },
    )


def preferences(request: HttpRequest) -> HttpResponse:
    """Signed in: your own preferences. Otherwise: ask for a link by e-mail."""
    if request.user.is_authenticated:
        if not request.user.email:
            return render(request, "mailinglists/preferences_no_email.html")
        subscriber = services.subscriber_for_user(request.user)
        return _preferences_page(request, subscriber, action=reverse("mailinglists:preferences"))
    return _request_preferences_link(request)


@rate_limited("list_preferences")  # the public form only; saving one's own page is not limited
def _request_preferences_link(request: HttpRequest) -> HttpResponse:
    form = PreferencesLinkForm(request.POST or None)
    if request.method == "POST":
        if form.is_spam():
            return redirect("mailinglists:preferences_sent")
        if form.is_valid():
            services.send_preferences_link(form.cleaned_data["email"])
            return redirect("mailinglists:preferences_sent")  # same page for any address
    return render(request, "mailinglists/preferences_link.html", {"form": form})


def preferences_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "mailinglists/preferences_sent.html")


@rate_limited("list_token", methods=("GET", "POST"))
def preferences_token(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = tokens.read_preferences_token(token)
    except tokens.InvalidToken:
        return _invalid_link(request)
    return _preferences_page(
        request, subscriber, action=reverse("mailinglists:preferences_token", args=[token])
    )


# ---------------------------------------------------------------- archives


def _readable_list(request: HttpRequest, slug: str) -> MailingList | HttpResponse:
    mailing_list = selectors.list_or_404(slug)
    if mailing_list.members_only and not has_perm(
        request.user, "mailinglists.read_members_archive", mailing_list
    ):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return mailing_list


def archive(request: HttpRequest, slug: str) -> HttpResponse:
    mailing_list = _readable_list(request, slug)
    if isinstance(mailing_list, HttpResponse):
        return mailing_list
    posts = mailing_list.posts.published().only("pk", "subject", "sent_at", "mailing_list_id")
    page = Paginator(posts, settings.UPRHUB_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "mailinglists/archive.html", {"mailing_list": mailing_list, "page": page}
    )


def archive_post(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    mailing_list = _readable_list(request, slug)
    if isinstance(mailing_list, HttpResponse):
        return mailing_list
    post = selectors.published_post_or_404(mailing_list, pk)
    return render(
        request, "mailinglists/archive_post.html", {"mailing_list": mailing_list, "post": post}
    )


# ---------------------------------------------------------------- coordinators


coordinator_required = perm_required("mailinglists.write_post")  # the pages around posts


@coordinator_required
def posts(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.posts_with_delivery_counts(), settings.UPRHUB_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "mailinglists/posts.html", {"page": page})


@coordinator_required
def compose(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    post = selectors.post_or_404(pk) if pk is not None else None
    if post is not None and post.status != PostStatus.DRAFT:
        messages.error(request, _("This post was sent; it can no longer be changed."))
        return redirect("mailinglists:preview", pk=post.pk)
    initial = (
        {"mailing_list": post.mailing_list, "subject": post.subject, "body": post.body}
        if post is not None
        else {"mailing_list": request.GET.get("list")}
    )
    form = PostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        post = services.save_draft(
            actor=request.user,
            mailing_list=form.cleaned_data["mailing_list"],
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            post=post,
        )
        return redirect("mailinglists:preview", pk=post.pk)
    return render(request, "mailinglists/compose.html", {"form": form, "post": post})


@coordinator_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_preview(pk)
    recipients = selectors.recipient_count(post)
    return render(
        request,
        "mailinglists/preview.html",
        {
            "post": post,
            "body_html": post.body_html or markdown_to_html(post.body),
            "recipients": recipients,
            "state": selectors.sending_state(post),
        },
    )


@coordinator_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_or_404(pk)
    try:
        count = services.start_sending(post, actor=request.user)
    except services.PostStateError as error:
        messages.error(request, _("Not sent: %(reason)s") % {"reason": error})
        return redirect("mailinglists:preview", pk=post.pk)
    messages.success(
        request,
        ngettext(
            "Sending to %(count)d subscriber has started.",
            "Sending to %(count)d subscribers has started.",
            count,
        )
        % {"count": count},
    )
    return redirect("mailinglists:deliveries", pk=post.pk)


@coordinator_required
def deliveries(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_with_list(pk)
    counts = dict(
        post.deliveries.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    rows = post.deliveries.order_by("status", "email").only(
        "email", "status", "attempts", "last_error", "next_attempt_at", "sent_at"
    )
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "mailinglists/deliveries.html",
        {
            "post": post,
            "page": page,
            "counts": {
                "sent": counts.get(DeliveryStatus.SENT, 0),
                "pending": counts.get(DeliveryStatus.PENDING, 0),
                "failed": counts.get(DeliveryStatus.FAILED, 0),
            },
            "state": selectors.sending_state(post),
            # Without a mail server "sent" means "written to the console": say so.
            "mail_captured": mail_is_captured(),
        },
    )
