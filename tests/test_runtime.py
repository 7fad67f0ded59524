"""Batch-job process settings: checked in a fresh process, as they change the whole process."""
from __future__ import annotations

import platform
import subprocess
import sys
import textwrap

import pytest

PROBE = textwrap.dedent("""
    import gc, resource, sys
    import numpy
    from pipeline.runtime import YOUNG_GENERATION, keep_freed_memory, tune_for_batch_work

    def faults_for_a_fresh_buffer():
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        buffer = numpy.ones(64 * 2**20, dtype=numpy.uint8)  # 64 MB, written once
        del buffer
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

    if sys.argv[1] == "tuned":
        tune_for_batch_work()
        assert gc.get_threshold()[0] == YOUNG_GENERATION
    faults_for_a_fresh_buffer()
    print(faults_for_a_fresh_buffer())
""")


def fresh_buffer_faults(mode: str) -> int:
    result = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True)
    return int(result.stdout)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_a_freed_buffer_is_reused_instead_of_mapped_and_zeroed_again() -> None:
    from pipeline.runtime import keep_freed_memory

    assert keep_freed_memory()
    assert fresh_buffer_faults("default") > 30  # 64 MB of fresh pages (2 MB each where huge pages are on)
    assert fresh_buffer_faults("tuned") < 10  # the first buffer's memory, reused
