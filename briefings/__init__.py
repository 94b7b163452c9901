"""briefings: version-controlled sources in, DOCX/PDF/HTML briefing papers out."""

__version__ = "0.1.0"
