"""UPR Hub: civil-society tools for the UN Universal Periodic Review."""

__version__ = "0.1.0"
