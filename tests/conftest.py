"""Shared fixtures. Tests never read the pool in data/ (it becomes real people once a bureau
uses the repository): they run on the fictional demo pool, generated once per session from the
repository's reference data and the deterministic demo generator, and copied per test."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

import pytest

from silverpool import yamlio
from silverpool.demo import generate
from silverpool.idcard import key_id, read_key
from silverpool.loader import PoolConfig

REPO = Path(__file__).resolve().parent.parent
DEMO_KEY = REPO / "examples" / "demo-fingerprint.key"


@functools.lru_cache(maxsize=1)
def demo_template() -> Path:
    root = Path(tempfile.mkdtemp(prefix="silverpool-demo-"))
    atexit.register(shutil.rmtree, root, True)
    shutil.copytree(REPO / "data" / "reference", root / "data" / "reference")
    config = PoolConfig.model_validate(yamlio.read_file(REPO / "data" / "pool.yaml")[1])
    config.demo_key, config.fingerprint_key_id = "examples/demo-fingerprint.key", key_id(read_key(DEMO_KEY))
    (root / "data" / "pool.yaml").write_text(yamlio.dump(config.to_data()), "utf-8")
    (root / "examples").mkdir()
    shutil.copy(DEMO_KEY, root / "examples" / DEMO_KEY.name)
    generate(root)
    return root


def copy_pool(dest: Path) -> Path:
    """A fresh copy of the demo pool (data/ and its fingerprint key) at dest, as a pool root."""
    template = demo_template()
    shutil.copytree(template / "data", dest / "data")
    shutil.copytree(template / "examples", dest / "examples", dirs_exist_ok=True)
    return dest


@pytest.fixture
def pool_root(tmp_path: Path) -> Path:
    return copy_pool(tmp_path / "pool")


@pytest.fixture(scope="module")
def tiny_ro(tmp_path_factory) -> Path:
    """The tiny hand-checked pool of the year's-work tests, shared by tests that only read it."""
    from tests.test_yearly_pool import build_pool

    return build_pool(tmp_path_factory.mktemp("tiny"))


@pytest.fixture
def tiny(tmp_path: Path, tiny_ro: Path) -> Path:
    """A copy of the tiny pool that a test may change."""
    shutil.copytree(tiny_ro / "data", tmp_path / "data")
    return tmp_path
