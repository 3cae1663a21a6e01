"""Template context: what the visitor may do, so navigation shows only what they may open."""

from __future__ import annotations

from django.http import HttpRequest

from uprhub.core.rules import May


def roles(request: HttpRequest) -> dict[str, object]:
    # `may.app.action` asks `uprhub.core.rules.has_perm`, the rules every page and service
    # enforce; answers are computed on first use (anonymous pages cost no query).
    return {"may": May(request.user)}
