"""No models yet: evidence suggestions are computed on demand (``evidence.py``); storing them
comes with assessments."""
