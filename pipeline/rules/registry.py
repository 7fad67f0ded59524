"""Which pydantic schema validates which rule file, by the file's name.

The schema classes live beside the code that reads the files (an extractor's schema in its
component module), so they are named here by import path and imported only when asked
for: `pipeline rules check` needs them all, a run needs none of this. A name whose module
is not installed is reported as such, never skipped: a rule file nobody validates is a
rule file nobody reads.
"""
from __future__ import annotations

import importlib

from pipeline.rules.loader import RuleFile

#: Rule file name (without `.yaml`) -> "module:Class" of its schema (a `RuleFile` subclass).
RULE_SCHEMAS: dict[str, str] = {
    "people": "pipeline.components.people:PeopleFile",
    "agreements": "pipeline.components.agreements:AgreementRuleFile",
    "projects": "pipeline.components.projects:ProjectRuleFile",
    "numeric_claims": "pipeline.components.numeric_claims:NumericClaimRules",
    "events": "pipeline.components.event_rules:EventFile",
    "commitments": "pipeline.components.commitments:CommitmentFile",
    "actors": "pipeline.actors:ActorFile",
    "boilerplate": "pipeline.cleaning_rules:CleaningRules",
    "countries": "pipeline.countries:CountryFile",
    "leaders": "pipeline.leaders:LeaderFile",
}
#: Rule files read from `models/` only: a user folder's copy would be ignored, so it is an error.
SHIPPED_ONLY = frozenset({"countries"})
#: Pattern files of the entity ruler: JSONL lines checked by spaCy's own pattern validator.
ENTITY_FOLDER = "entities"


class SchemaNotInstalled(LookupError):
    """A rule file's schema cannot be imported (its extractor is missing or renamed)."""


def schema_for(name: str) -> type[RuleFile]:
    """The schema class of the rule file `<name>.yaml`, imported on first use."""
    if name not in RULE_SCHEMAS:
        known = ", ".join(f"{n}.yaml" for n in sorted(RULE_SCHEMAS))
        raise SchemaNotInstalled(f"no schema is registered for '{name}.yaml' (known rule files: {known})")
    module_name, _, class_name = RULE_SCHEMAS[name].partition(":")
    try:
        schema = getattr(importlib.import_module(module_name), class_name)
    except ImportError as exc:
        raise SchemaNotInstalled(f"schema {RULE_SCHEMAS[name]} is not installed: {exc}") from None
    except AttributeError:
        raise SchemaNotInstalled(f"schema {RULE_SCHEMAS[name]} is not installed: no class {class_name}") from None
    if not (isinstance(schema, type) and issubclass(schema, RuleFile)):
        raise SchemaNotInstalled(f"{RULE_SCHEMAS[name]} is not a RuleFile schema")
    return schema
