"""Domain entity ruler: spaCy's EntityRuler loaded with the pattern files in `models/entities/`.

Placed after the statistical NER with `overwrite_ents`, it corrects the model where the
data knows better (a leader's name tagged ORG, a workshop tagged PERSON). Each pattern's
`id` travels onto the entity (`ent.ent_id_`) and into the `rule` column.
"""
from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.pipeline import EntityRuler

from pipeline.rules.loader import MODELS_DIR, RuleFileError, read_jsonl

ENTITY_DIR = MODELS_DIR / "entities"


def entity_patterns(rules_dirs: list[str]) -> list[dict]:
    """All entity patterns, shipped first; each must carry a stable id."""
    files = sorted(ENTITY_DIR.glob("*.jsonl"))
    files += [p for d in rules_dirs for p in sorted((Path(d) / "entities").glob("*.jsonl"))]
    patterns = []
    for path in files:
        for n, row in enumerate(read_jsonl(path), start=1):
            if not row.get("id") or "label" not in row or "pattern" not in row:
                raise RuleFileError(path, f"line {n}", "a pattern needs 'id', 'label' and 'pattern'")
            patterns.append(row)
    return patterns


@Language.factory(
    "diplo_entity_ruler",
    assigns=["doc.ents"],
    default_config={"rules_dirs": [], "overwrite_ents": True},
)
def make_entity_ruler(nlp: Language, name: str, rules_dirs: list[str], overwrite_ents: bool) -> EntityRuler:
    ruler = EntityRuler(nlp, name=name, overwrite_ents=overwrite_ents, validate=True, phrase_matcher_attr="ORTH")
    with nlp.select_pipes(disable=nlp.pipe_names):  # phrase patterns need only the tokenizer
        ruler.add_patterns(entity_patterns(rules_dirs))
    return ruler
