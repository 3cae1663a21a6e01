"""Fill a fresh database with a bit of everything (run in a subprocess by the backup tests).

Usage: python -m tests.backup.populate   (with DATABASE_URL / UPRHUB_DATA_DIR set)
"""

from __future__ import annotations

import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprhub.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", interactive=False, verbosity=0)

    from tests.accounts.factories import ApplicationFactory
    from tests.mailinglists.factories import MailingListFactory, subscribe_many
    from tests.reports.factories import make_world
    from uprhub.reports import services as reports

    with transaction.atomic():
        world = make_world()  # recommendations, States, people, organisations, a joint report
        paragraph = reports.add_paragraph(
            world.follow_up, text="The United States has not acted on torture.", actor=world.lead
        )
        reports.add_comment(paragraph, "Cite the 2020 recommendations here.", actor=world.lead)
        ApplicationFactory.create_batch(3)
        subscribe_many(MailingListFactory(), 5)


if __name__ == "__main__":
    main()
