"""Importers: one plain service module per file format, all sharing the same rules.

* ``uprinfo`` — UPR Info CSV exports (recommendations, voluntary pledges)
* ``ohchr_csv`` — OHCHR recommendations CSV (one review's list)
* ``uhri_xlsx`` — UHRI Excel exports
* ``thematic_docx`` — OHCHR thematic lists of recommendations (Word)
* ``documents`` — UN document texts (compilation, stakeholders' summary…)
* ``reference`` — States, aliases, cycles, sessions and known reviews
* ``bundled`` — everything shipped in ``recommendations/data/bundled`` (first start)

Each ``import_*`` function takes a path, runs in one transaction (``dry_run`` rolls it back),
raises ``base.ImportFailed`` ("FILE, line N: problem") on bad input and returns a
``base.ImportSummary``. The management command ``import_data`` is a thin front for them.
The recommendation-file formats read and check their file, then run the one shared skeleton,
``pipeline.import_source_file``, with their own ``parse``; machine suggestions are made after
the import's transaction has ended (``base.run_import``).
"""
