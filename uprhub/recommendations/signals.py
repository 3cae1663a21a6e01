"""What the importers announce, for the services built on the data to react to.

The importers live on a lower floor than the search layer and the classifier, so they never
call them: they send these signals, and those apps connect to them in their ``ready()``.

``data_changed``
    Sent inside an import's transaction when recommendations changed (the search layer bumps
    its data version: cached pages and facet counts are then stale; its database triggers
    cover most writes, this covers bulk paths that skip them).
``import_committed``
    Sent once a successful import's transaction has ended, with ``since`` (when the import
    started). Slow follow-up work (machine suggestions) runs here, where it can neither hold
    the import's write lock nor undo it. A receiver must not raise: the import is kept.
"""

from __future__ import annotations

from django.dispatch import Signal

data_changed = Signal()
import_committed = Signal()  # kwargs: since (datetime)
