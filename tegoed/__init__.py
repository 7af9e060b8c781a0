"""Tegoed: credit management (debiteurenbeheer) for Dutch and European businesses."""

__version__ = "0.1.0"
