"""Follow-up's pages, one module per area so each stays readable."""

from __future__ import annotations

from . import urls_carry, urls_evidence, urls_public, urls_report, urls_rounds, urls_work

app_name = "followup"

urlpatterns = [
    *urls_public.urlpatterns,
    *urls_rounds.urlpatterns,
    *urls_work.urlpatterns,
    *urls_evidence.urlpatterns,
    *urls_report.urlpatterns,
    *urls_carry.urlpatterns,
]
