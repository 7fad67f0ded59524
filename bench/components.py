"""Seconds per pipeline component over a folder of texts, as a share of the model's own time.

`make bench` gives whole-command ratios; this says which component to look at when the
extraction layer's share grows. Each component runs over all documents in turn (the model's
components batched by `pipe`, as in a run), then the table rows are built.

    python bench/components.py data/raw [--model NAME]
"""
from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from pipeline.build import DocMeta, document_rows
from pipeline.clean import clean_text
from pipeline.nlp import DEFAULT_MODEL, build_nlp, model_label
from pipeline.readers import RawDocument, iter_documents
from pipeline.runtime import tune_for_batch_work


def ours(name: str) -> bool:
    return name.startswith("diplo_") or name == "build_rows"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()
    tune_for_batch_work()  # as in `pipeline run`
    texts = [clean_text(d.text).text for d in iter_documents([args.folder]) if isinstance(d, RawDocument)]
    nlp = build_nlp(args.model)
    seconds: Counter[str] = Counter()
    docs = [nlp.make_doc(text) for text in texts]
    for name, proc in nlp.pipeline:
        started = time.perf_counter()
        docs = list(proc.pipe(docs, batch_size=args.batch_size)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
        seconds[name] = time.perf_counter() - started
    started = time.perf_counter()
    label = model_label(nlp, args.model)
    for doc in docs:
        document_rows(doc, DocMeta(source="bench", path="bench"), label)
    seconds["build_rows"] = time.perf_counter() - started
    model = sum(s for name, s in seconds.items() if not ours(name)) or float("nan")
    print(f"{len(docs)} documents, model {model:.2f} s")
    for name, s in seconds.most_common():
        print(f"  {name:24s} {s:7.2f} s  {100 * s / model:5.1f}% of the model{'' if ours(name) else '  (model)'}")
    extra = sum(s for name, s in seconds.items() if ours(name))
    print(f"this package's components and row building: {extra:.2f} s = {100 * extra / model:.1f}% of the model")


if __name__ == "__main__":
    main()
