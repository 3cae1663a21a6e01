"""Follow-up's part of the REST API (mounted at /api/followup/).

Public reads (published scorecards and positions) are in `api_public`; the assessors' and
reviewers' calls (signed in) in `api_work`. Both add their endpoints to `router`.
"""

from __future__ import annotations

from ninja import Router

router = Router(tags=["follow-up"])

from . import api_public, api_work  # noqa: E402, F401  (they add their endpoints to router)

router.add_router("", api_work.router)
