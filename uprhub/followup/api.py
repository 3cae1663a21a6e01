"""Follow-up's part of the REST API (mounted at /api/followup/).

Public reads (published scorecards and positions) are in `api_public`; the assessors' and
reviewers' calls (signed in) in `api_work`. Each has its own router, added to `router` here
(importing `router` from them would be an import circle, which `lint-imports` refuses).
"""

from __future__ import annotations

from ninja import Router

router = Router(tags=["follow-up"])

from . import api_public, api_work  # noqa: E402

router.add_router("", api_public.router)
router.add_router("", api_work.router)
