"""What other parts of the consultations app (and reports made from it) react to.

Sent inside the transaction that made the change, so a receiver's failure undoes it.
"""

from django.dispatch import Signal

# sender=Testimony, testimony=<the tombstone>: the text is gone; every quote of it must go.
testimony_withdrawn = Signal()
# sender=Testimony, testimony=…: its redacted text changed, or it is no longer approved;
# quotes of the old text must follow (or go).
testimony_redacted = Signal()
