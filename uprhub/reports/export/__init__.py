"""Exports of a `ReportDocument`: Word (`docx`), PDF (`pdf`) and the submission ZIP (`package`).

Import the submodules directly; this package imports nothing heavy so that the validator can
use `layout` without loading python-docx or WeasyPrint.
"""
