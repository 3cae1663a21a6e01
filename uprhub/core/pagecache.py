"""Whole-page cache of the public pages for anonymous visitors, keyed by the data version.

Home, the explorer (with any query), State pages, recommendation pages and the read-only API
are the same for every anonymous visitor with the same language, host and URL, and they change
only when the data do. Their responses are kept in the ``pages`` cache under a key made of

- the data-version token, read from the source given to ``register_data_version`` (the
  search app registers ``uprhub.search.index.current_version`` in its ``ready()``: one
  primary-key read; the database's triggers give it a new random value on any write to
  recommendations, labels, States, reviews, suggestions or deadlines, whichever process or tool
  writes — so a cached page is never served after a relevant write, in any worker). Core sits
  below search and must not import it, hence the hook; with no source registered nothing is
  cached;
- the visitor's language, the scheme and host (permalinks are absolute), and the full path with
  its query string.

Entries also expire after ``UPRHUB_PAGE_CACHE_SECONDS`` (default 60): some pages count days
to a deadline, which changes with time rather than with the data.

What is never cached or served from the cache, so personal pages stay personal:

- any request that is not GET, that carries a cookie other than the language and CSRF ones (a
  session — signed in or not — or pending messages), or an ``Authorization`` header;
- any response that is not a plain 200, that sets a cookie, that used the CSRF token (a form
  that posts), or that says ``Cache-Control: private/no-store/no-cache``.

The middleware sits right after ``LocaleMiddleware`` (it needs the visitor's language) and
before everything that reads the session, the user or the CSRF token: a hit is answered without
running them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

# The public pages (paths as routed in uprhub/urls.py). Exports stream and are not cached; the
# API's reports need a signed-in user.
CACHEABLE_PATHS = re.compile(
    r"^/(?:"
    r"|recommendations/(?:\d+/)?"
    r"|states/(?:[A-Za-z]{3}/)?"
    r"|api/(?:recommendations(?:/\d+)?|states(?:/[A-Za-z]{3})?|reviews(?:/\d+)?"
    r"|vocabularies|themes|openapi\.json)"
    r")$"
)
_NO_STORE = ("private", "no-store", "no-cache")
_ALIAS = "pages"
_MARK = "_uprhub_page_key"

_data_version: Callable[[], int] | None = None


def register_data_version(source: Callable[[], int]) -> None:
    """Key cached pages by ``source()``, a token that changes whenever the data do."""
    global _data_version
    _data_version = source


def _allowed_cookies() -> frozenset[str]:
    return frozenset({settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME})


def page_key(request: HttpRequest) -> str | None:
    """The cache key of this request's page, or None when it must not come from the cache."""
    if request.method != "GET" or not CACHEABLE_PATHS.match(request.path_info):
        return None
    if not set(request.COOKIES) <= _allowed_cookies() or "HTTP_AUTHORIZATION" in request.META:
        return None
    if _data_version is None:
        return None
    try:
        version = _data_version()
    except DatabaseError:  # not migrated yet: nothing to cache
        return None
    parts = (
        str(version),
        getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
    )
    digest = hashlib.blake2b("\n".join(parts).encode(), digest_size=20).hexdigest()
    return f"page:{digest}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or b"csrfmiddlewaretoken" in response.content:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in _NO_STORE)


class PublicPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = settings.UPRHUB_PAGE_CACHE_SECONDS
        key = page_key(request) if timeout > 0 else None
        if key is None:
            return self.get_response(request)
        cache = caches[_ALIAS]
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            # The page differs for signed-in visitors: shared caches must key on the cookie.
            patch_vary_headers(response, ("Cookie",))
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _storable(request, response):
            headers = [(k, v) for k, v in response.items() if k.lower() != "set-cookie"]
            cache.set(key, (response.status_code, headers, response.content), timeout)
            response["X-Page-Cache"] = "miss"
        return response
