"""briefing: cited analyst notes to a checked MkDocs site and a PDF."""

__version__ = "0.1.0"
