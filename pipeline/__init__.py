"""Diplomatic-text extraction: leaders, agreements, projects, figures, events and commitments.

`from pipeline import extract` for one text; `pipeline run` (CLI) for a corpus.
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["Extraction", "extract", "__version__"]


def __getattr__(name: str) -> object:
    """Import the API on first use, so `import pipeline.records` stays light."""
    if name in ("extract", "Extraction"):
        from pipeline import api

        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
