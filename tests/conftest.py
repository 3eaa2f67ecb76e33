"""Shared fixtures: a temporary copy of the shipped pool that a test may damage."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def copy_pool(dest: Path) -> Path:
    """Copy the repo's data/ and the demo key into dest, as a pool root."""
    shutil.copytree(REPO / "data", dest / "data")
    (dest / "examples").mkdir(exist_ok=True)
    shutil.copy(REPO / "examples" / "demo-fingerprint.key", dest / "examples" / "demo-fingerprint.key")
    return dest


@pytest.fixture
def pool_root(tmp_path: Path) -> Path:
    return copy_pool(tmp_path / "pool")
