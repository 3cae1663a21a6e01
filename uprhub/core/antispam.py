"""Protection for public forms: rate limits (per client and per target address) and a
honeypot field.

The rate limit is a fixed-window counter rather than django-ratelimit: that library's last
release (2023) predates Django 5 and 6, and we need only "N attempts per period per key".
Counters live in the "ratelimit" cache (settings/cache.py): a database table by default, or
Redis. Both are shared by every process and survive restarts, so a limit is not multiplied
by the number of serving processes nor reset by a deployment.

Limits count per client address (per /64 for IPv6: `client_key`), read by `client_address`
only. Behind reverse proxies every request comes from the proxy, so UPRHUB_TRUSTED_PROXIES
(a number of hops) says how many X-Forwarded-For entries, counted from the right, were
written by proxies we trust. Forms that e-mail an address (sign-up, taskforce application,
password reset) also count per target address (`target_key`), so a flood aimed at one
inbox from many client addresses stops too.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


def parse_rate(rate: str) -> tuple[int, int]:
    """'5/h' → (5, 3600); '10/5m' → (10, 300)."""
    match = _RATE.match(rate)
    if not match:
        raise ValueError(f"Bad rate {rate!r}; use e.g. '5/h' or '10/5m'")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * _PERIODS[unit]


def _ip(value: str) -> str | None:
    """The canonical form of one address as proxies write it, or None if it is not one.

    Accepts "203.0.113.5", "203.0.113.5:4711", "2001:db8::1" and "[2001:db8::1]:4711";
    an IPv4 address mapped into IPv6 counts as the IPv4 address.
    """
    value = value.strip()
    if value.startswith("["):
        value = value[1 : value.find("]")] if "]" in value else ""
    elif value.count(":") == 1:  # IPv4 with a port; bare IPv6 has several colons
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def client_ip(remote_addr: str | None, forwarded_for: str | None, trusted_proxies: int) -> str:
    """The client's address, given the peer address, the X-Forwarded-For header and the hops.

    Each trusted proxy appends the address it received the request from, so with N proxies
    the Nth entry from the right is the client as seen by the outermost one. Entries further
    left were sent by the client and may be forged: they are never used. When the header is
    missing, too short or that entry is not an address, the request did not come through
    the proxies as configured, and the peer address is used (stricter, never spoofable).
    """
    peer = _ip(remote_addr or "") or (remote_addr or "").strip() or "unknown"
    if trusted_proxies <= 0 or not forwarded_for:
        return peer
    # Several X-Forwarded-For headers arrive joined by commas; empty items are no hops.
    entries = [entry for entry in forwarded_for.split(",") if entry.strip()]
    if len(entries) < trusted_proxies:
        return peer
    return _ip(entries[-trusted_proxies]) or peer


def client_address(request: HttpRequest) -> str:
    """The one place that decides which address a request comes from (see `client_ip`)."""
    return client_ip(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        getattr(settings, "UPRHUB_TRUSTED_PROXIES", 0),
    )


def client_key(request: HttpRequest) -> str:
    """What a rate limit counts: the client address, or its /64 for IPv6, since one
    subscriber usually holds a whole /64 and could otherwise step to a fresh address."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


RATELIMIT_CACHE = "ratelimit"


def hit(scope: str, key: str, rate: str) -> bool:
    """Count one attempt for (scope, key); True when the limit is now exceeded.

    Each attempt claims the next free numbered slot of the window with the cache's atomic
    `add` (an INSERT in the database cache, SET NX in Redis): unlike get-then-set `incr`,
    which the database cache does not make atomic, concurrent attempts cannot both take the
    same number. Past the limit nothing more is written.
    """
    limit, period = parse_rate(rate)
    window = int(time.time() // period)
    # Keyed: a plain hash of an IPv4 address is reversed by trying all 2^32 of them, and the
    # counters may sit in the database for the whole window (30 days for sign-ups).
    digest = salted_hmac("uprhub.ratelimit", key, algorithm="sha256").hexdigest()[:32]
    base = f"uprhub:rl:{scope}:{digest}:{window}"
    counters = caches[RATELIMIT_CACHE]
    slots = [f"{base}:{number}" for number in range(1, limit + 2)]
    taken = counters.get_many(slots)
    for number, slot in enumerate(slots, start=1):
        if slot not in taken and counters.add(slot, 1, timeout=period + 1):
            return number > limit
    return True  # every slot up to limit + 1 is taken


def target_key(email: str) -> str:
    """What a per-target limit counts: a keyed hash of the normalised address (no address,
    nor a hash anyone could check a guessed address against, is stored in the cache)."""
    return (
        "to:"
        + salted_hmac(
            "uprhub.ratelimit.target", email.strip().lower(), algorithm="sha256"
        ).hexdigest()
    )


def too_many_requests(request: HttpRequest) -> HttpResponse:
    return render(request, "core/too_many_requests.html", status=429)


def rate_limited(
    scope: str, methods: Iterable[str] = ("POST",), *, target_field: str | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Answer 429 once a client exceeds settings.UPRHUB_RATE_LIMITS[scope].

    With `target_field` (the form field holding an e-mail address) the address is counted
    too, under the scope "<scope>_address": many clients cannot flood one inbox.
    """
    methods = frozenset(methods)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                limits = settings.UPRHUB_RATE_LIMITS
                if hit(scope, client_key(request), limits[scope]):
                    return too_many_requests(request)
                target = request.POST.get(target_field, "") if target_field else ""
                if target.strip() and hit(
                    f"{scope}_address", target_key(target), limits[f"{scope}_address"]
                ):
                    return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


HONEYPOT_FIELD = "contact_website"


class HoneypotFormMixin(forms.Form):
    """A text field people never see (moved off-screen by the template) and bots fill in.

    A filled field does not show an error: the view pretends success and does nothing,
    so a bot learns nothing. Render it with `{% include "forms/honeypot.html" %}`.
    """

    contact_website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_spam(self) -> bool:
        return bool(self.data.get(self.add_prefix(HONEYPOT_FIELD), "").strip())

    def public_fields(self) -> list[forms.BoundField]:
        """The fields people fill in (everything but the honeypot)."""
        return [field for field in self if field.name != HONEYPOT_FIELD]

    def honeypot_field(self) -> forms.BoundField:
        return self[HONEYPOT_FIELD]
