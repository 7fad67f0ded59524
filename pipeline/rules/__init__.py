"""Rule files: where they live, how they are validated, how they are fingerprinted."""
from pipeline.rules.loader import (
    Rule,
    RuleFile,
    RuleFileError,
    iter_rules,
    load_rule_file,
    load_rules,
    merge_rule_files,
    read_jsonl,
    read_yaml,
    MODELS_DIR,
    rule_files,
    rules_fingerprint,
)

__all__ = [
    "MODELS_DIR", "Rule", "RuleFile", "RuleFileError", "iter_rules", "load_rule_file", "load_rules",
    "merge_rule_files", "read_jsonl", "read_yaml", "rule_files",
    "rules_fingerprint",
]
