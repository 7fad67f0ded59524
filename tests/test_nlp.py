"""The pipeline loader's process-level behaviour (blank model: no statistical model needed)."""
from __future__ import annotations

import gc

from pipeline.nlp import BLANK, get_nlp


def test_pipeline_objects_are_frozen_out_of_the_collectors_view() -> None:
    get_nlp.cache_clear()
    gc.unfreeze()
    nlp = get_nlp(BLANK)
    assert gc.isenabled()  # paused while building, and running again afterwards
    assert gc.get_freeze_count() > 10_000  # the gazetteers and compiled rules are no longer rescanned
    assert "diplo_people" in nlp.pipe_names


def test_a_paused_collector_stays_paused() -> None:
    get_nlp.cache_clear()
    gc.disable()
    try:
        get_nlp(BLANK)
        assert not gc.isenabled()
    finally:
        gc.enable()
