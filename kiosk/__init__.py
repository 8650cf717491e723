"""Antrean Paspor: the queue system of an Indonesian immigration office."""

__version__ = "0.1.0"
