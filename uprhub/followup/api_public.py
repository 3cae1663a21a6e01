"""Follow-up API endpoints (see ``api.py``)."""

from __future__ import annotations
