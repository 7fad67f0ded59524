"""Process settings for a long batch job, applied by `pipeline run` and its worker processes.

Two costs of a long `nlp.pipe` run sit in no component, and a batch job can avoid both:
- glibc gives the model's large per-batch buffers (the layers' activations, megabytes each)
  back to the kernel when they are freed and maps fresh memory for the next batch, which the
  kernel must zero page by page. On the 2-core benchmark machine that was 3 s of system time
  per 120 documents, a tenth of the model. Served from the heap and never trimmed, the same
  memory is reused: the peak is the same high-water mark, reached once.
- The cyclic garbage collector ran its youngest generation every 700 new containers, that
  is every few tokens; a batch job can let 10,000 accumulate.
The benchmark applies the same settings to bare spaCy, so its ratios compare like with like.
"""
from __future__ import annotations

import ctypes
import gc

#: `mallopt` parameters, from glibc's malloc.h.
_M_TRIM_THRESHOLD, _M_MMAP_MAX = -1, -4
#: Free memory kept at the top of the heap before any is returned (the C int's range).
_KEEP_FREED_BYTES = 1 << 30
YOUNG_GENERATION = 10_000


def keep_freed_memory() -> bool:
    """Ask glibc to serve large blocks from the heap and keep what is freed; False where the C
    library has no `mallopt` (macOS, Windows) or refuses, which only costs speed."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):
        return False
    return bool(mallopt(_M_MMAP_MAX, 0)) and bool(mallopt(_M_TRIM_THRESHOLD, _KEEP_FREED_BYTES))


def tune_for_batch_work() -> None:
    """Both settings of the module docstring, for the whole process (and processes it forks)."""
    keep_freed_memory()
    gc.set_threshold(YOUNG_GENERATION, 10, 10)
