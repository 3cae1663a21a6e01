from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "uprhub.calendar"
    # "calendar" would shadow nothing inside Django, but a distinct label keeps tables obvious.
    label = "uprcalendar"
    verbose_name = "Review calendar and deadlines"
