"""The site: the composition of the features on the top floor.

Home page and public privacy notice, first-run preparation (`bootstrap.py`), the web server
behind `uprhub serve` (`server.py`) and data retention (`retention.py`, `uprhub purge`). These
need many feature apps at once, so they live above them instead of in `uprhub.core`, which every
app builds on and which therefore imports none of them.
"""
