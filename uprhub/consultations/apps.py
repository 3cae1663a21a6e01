from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "uprhub.consultations"
    verbose_name = _("Listen: community consultations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from uprhub.calendar.extra import register_event_source
        from uprhub.core.outbox import forget_when_handled

        from . import (
            checks,  # noqa: F401  (registers the deploy check)
            reporting,
            signals,
        )
        from .calendar_events import session_events
        from .services import RECEIPT_MAIL_KIND

        # A receipt e-mail holds the participant's address and code: kept only until handled.
        forget_when_handled(RECEIPT_MAIL_KIND)
        # Withdrawal and new redactions reach every report paragraph made from the testimony.
        signals.testimony_withdrawn.connect(reporting.on_withdrawn, dispatch_uid="report_withdrawn")
        signals.testimony_redacted.connect(reporting.on_redacted, dispatch_uid="report_redacted")
        # In-person sessions on the review calendar (a lower floor: it cannot import us).
        register_event_source(session_events)
