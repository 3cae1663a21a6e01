"""The Outbox page: the one-to-one e-mail UPR Hub queued, for administrators.

Where mail ends up when no SMTP server is configured (it is also written to the console),
and where a failed or waiting message shows its last error.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from uprhub.core import selectors
from uprhub.core.models import OutboxStatus
from uprhub.core.outbox import mail_is_captured
from uprhub.core.rules import perm_required


@perm_required("core.view_outbox")
def outbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    page = Paginator(selectors.outbox_messages(status), 25).get_page(request.GET.get("page"))
    counts = selectors.outbox_counts()
    return render(
        request,
        "core/outbox.html",
        {
            "page": page,
            "status": status if status in OutboxStatus.values else "",
            "states": [(value, label, counts[value]) for value, label in OutboxStatus.choices],
            "captured": mail_is_captured(),
            "max_attempts": settings.UPRHUB_EMAIL_MAX_ATTEMPTS,
        },
    )
