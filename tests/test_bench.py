"""The benchmark at a tiny size: it must run end to end and record every figure (CI runs it to
catch breakage; the speed targets are judged by a full run, see BENCHMARKS.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_bench_runs_small_and_writes_every_figure(tmp_path):
    out = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench.py"), "--people", "40", "--rows", "30", "--runs", "1", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    [result] = list(tmp_path.glob("bench-40-*.json"))
    record = json.loads(result.read_text("utf-8"))
    figures = {r["name"]: r for r in record["results"]}
    assert set(figures) == {"check", "intake", "intake（对 calamine）", "site build", "site size"}
    for name in ("check", "intake", "site build"):
        assert figures[name]["median"] > 0 and figures[name]["ratio"] > 0 and figures[name]["peak_mb"] > 0
    assert figures["site size"]["pages"] > 40 and figures["site size"]["search_index_mb"] > 0
    assert "比值" in out.stdout and "结果已写入" in out.stdout
