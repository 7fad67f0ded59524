"""Numeric claims side by side with a peer: this pipeline against quantulum3, same documents, same scorer.

quantulum3 is a maintained quantity extractor. It reads every sentence of the pipeline's own
`sentences.parquet` (so both systems see the same cleaned text and sentence boundaries); its
quantities are mapped to the `numeric_claims` columns:

- value: quantulum3's value;
- unit: the ISO 4217 code for a currency, `percent` for a percentage, None for a
  dimensionless number, else the unit's name ('pair', 'square kilometre');
- qualifier: `exact` (quantulum3 has no qualifiers); period: None (it resolves no dates).

Both outputs are scored by the shared scorer (`score.py`), and the figures are printed and written
to a JSON file. Not needed by the tests.

    python bench/quantulum_compare.py                       # runs `pipeline run` first
    python bench/quantulum_compare.py --pred data/processed # reuse an existing run
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def run_pipeline(corpus: Path, out: Path) -> Path:
    """This pipeline's tables for the corpus (`pipeline run`, every extractor)."""
    cmd = [sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out), "--force"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode not in (0, 3):  # 3: some documents failed, the rest is written
        raise SystemExit(f"pipeline run failed:\n{done.stderr[-2000:]}")
    return out


def quantulum_unit(quantity) -> str | None:
    unit = quantity.unit
    if unit.entity.name == "currency":
        return getattr(unit, "currency_code", None) or unit.name
    if unit.name == "percentage":
        return "percent"
    if unit.name == "dimensionless":
        return None
    return unit.name


def run_quantulum(pred: Path, out: Path) -> Path:
    """quantulum3's quantities for every sentence of a pipeline run, as a numeric_claims table."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(pred / "documents.parquet", out / "documents.parquet")
    sentences = pd.read_parquet(pred / "sentences.parquet")
    rows = []
    with warnings.catch_warnings():  # quantulum3 warns that its optional classifier is not installed
        warnings.simplefilter("ignore", UserWarning)
        from quantulum3 import parser

        for sent in sentences.itertuples():
            for q in parser.parse(sent.text):
                rows.append({
                    "doc_id": sent.doc_id, "sent_id": sent.sent_id, "sentence": sent.text.strip(),
                    "start": sent.start + q.span[0], "end": sent.start + q.span[1], "rule": "quantulum3",
                    "text": q.surface, "value": float(q.value), "value_max": None,
                    "unit": quantulum_unit(q), "qualifier": "exact", "subject": None, "period": None,
                })
    pd.DataFrame(rows).to_parquet(out / "numeric_claims.parquet", index=False)
    return out


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("shared_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def figures(report: dict) -> dict:
    t = report["types"]["numeric_claims"]
    return {k: t[k] for k in ("precision", "recall", "f1", "gold", "pred", "matched", "attributes")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    ap.add_argument("--gold", type=Path, default=SHARED / "gold")
    ap.add_argument("--scorer", type=Path, default=SHARED / "eval" / "score.py")
    ap.add_argument("--pred", type=Path, help="an existing `pipeline run` output (default: run it now)")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "quantulum_compare.json")
    args = ap.parse_args()
    scorer = load_scorer(args.scorer)
    with tempfile.TemporaryDirectory(prefix="quantulum-compare-") as tmp:
        pred = args.pred or run_pipeline(args.corpus, Path(tmp) / "pipeline")
        peer = run_quantulum(pred, Path(tmp) / "quantulum3")
        result = {
            "pipeline": figures(scorer.score(args.gold, pred)),
            "quantulum3": figures(scorer.score(args.gold, peer)),
        }
    print(f"{'numeric_claims':16}{'P':>7}{'R':>7}{'F1':>7}{'gold':>6}{'pred':>6}  attributes")
    for name, r in result.items():
        attrs = ", ".join(f"{a}={v}" for a, v in r["attributes"].items() if v is not None)
        print(f"{name:16}{r['precision']:7.3f}{r['recall']:7.3f}{r['f1']:7.3f}{r['gold']:6}{r['pred']:6}  {attrs}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
