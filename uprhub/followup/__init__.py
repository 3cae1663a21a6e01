"""Follow up: how a State implemented the recommendations it received, with evidence.

Assessment rounds, organisations' assessments and the coalition's reviewed positions
(`models.py`), the evidence finder (``paragraphs.py``, ``evidence.py``), public scorecards,
the implementation report, and links between cycles' recommendations.
"""
