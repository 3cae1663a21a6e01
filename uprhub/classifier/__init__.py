"""Machine tagging: UPR Info issues and action categories, suggested, never imposed.

* ``features`` / ``training`` / ``model`` / ``evaluation`` — the classifier itself: TF-IDF
  channels, linear models, calibration, the ``.npz`` artifact in ``artifacts/`` (no pickles),
  quality figures.
* The suggestions it makes are data, stored with the data they label
  (:class:`~uprhub.recommendations.models.Suggestion`): a machine label kept apart from human
  and imported labels, with model version, score and date, pending until a member accepts or
  rejects it; read through ``uprhub.recommendations.selectors``.
* ``services`` — every write: ``suggest_for``, ``suggest_after_import`` (run when an importer
  announces ``recommendations.signals.import_committed``), ``accept``, ``reject``. A
  suggestion never replaces a human or imported label.
* ``views`` / ``templatetags`` — accept and reject on the recommendation page.
* ``estimator`` — the action-category estimate for the report builder's quality check
  (registered there by `reports.quality`).
"""
