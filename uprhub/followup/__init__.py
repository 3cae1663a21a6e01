"""Follow up: how a State implemented the recommendations it received, with evidence.

For now the evidence finder only (``paragraphs.py``, ``evidence.py``, command
``uprhub followup evidence``); assessments and scorecards come later.
"""
