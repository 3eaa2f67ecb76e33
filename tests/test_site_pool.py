"""Support, no tests: a small demo pool with a hostile record and a git history, built into a
site once per test session (shared by test_site.py and test_site_browser.py)."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import functools
import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from silverpool import yamlio
from silverpool.demo import generate
from silverpool.cli import main

from .conftest import copy_pool

HOSTILE_ID = "THHHHH1"
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_REMARKS = "[点我](javascript:alert(2)) {{ 7*7 }} <script>alert(3)</script> **粗** | 表"
SEAL_ID = "TSSSSS1"  # the one person whose specialty is 篆刻


@dataclass
class Built:
    root: Path
    out: Path
    src: Path
    output: str


def _git(root: Path, *args: str, date: str) -> None:
    env = {"GIT_AUTHOR_NAME": "录入员", "GIT_AUTHOR_EMAIL": "x@example.invalid", "GIT_COMMITTER_NAME": "录入员",
           "GIT_COMMITTER_EMAIL": "x@example.invalid", "PATH": "/usr/bin:/bin",
           "GIT_AUTHOR_DATE": f"{date}T10:00:00+08:00", "GIT_COMMITTER_DATE": f"{date}T10:00:00+08:00"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def _talent(tid: str, name: str, **extra) -> dict:
    data = {"id": tid, "name": name, "gender": "男", "birth": "1948-05", "fitness": "良好",
            "district": "下城区", "address": "杭州市下城区武林街道环城北路100号", "phone": "13812345678",
            "groups_chosen": ["shuhua"], "groups": [{"group": "shuhua", "since": dt.date(2014, 7, 15)}],
            "consent": {"signed": True, "date": dt.date(2014, 6, 1)}, "status": "待复核"}
    data.update(extra)
    return data


@functools.lru_cache(maxsize=1)
def built_site() -> Built:
    tmp = Path(tempfile.mkdtemp(prefix="silverpool-site-"))
    atexit.register(shutil.rmtree, tmp, True)
    root = copy_pool(tmp / "pool")  # reference data and the demo key, as the other tests use
    generate(root, people=40, activities=30, seed=7)
    # The demo's own 篆刻 specialists become something else, so exactly one person has it.
    for p in (root / "data" / "talents").glob("*.yaml"):
        text = p.read_text("utf-8")
        if "篆刻" in text:
            p.write_text(text.replace("篆刻", "国画"), "utf-8")
    talents = root / "data" / "talents"
    hostile = _talent(HOSTILE_ID, HOSTILE_NAME, employer="{{ 7*7 }}", specialties=["<b>粗体</b>", "[x](javascript:alert(4))"],
                      remarks=HOSTILE_REMARKS, fingerprint="abcdefghijklmnopqrstuvwx")
    seal = _talent(SEAL_ID, "金石声", specialties=["篆刻", "书法"], district="西湖区",
                   address="杭州市西湖区北山街道12号", phone="0571-87654321")
    (talents / f"{HOSTILE_ID}.yaml").write_text(yamlio.dump(hostile), "utf-8")
    (talents / f"{SEAL_ID}.yaml").write_text(yamlio.dump(seal), "utf-8")
    _git(root, "init", "-q", "-b", "main", date="2014-07-01")
    _git(root, "add", "-A", date="2014-07-01")
    _git(root, "commit", "-qm", "Demo pool foundation", date="2014-07-16")
    seal.update(phone="13900001111", status="已入库", registered=dt.date(2014, 8, 1))
    (talents / f"{SEAL_ID}.yaml").write_text(yamlio.dump(seal), "utf-8")
    _git(root, "commit", "-qam", "Register the seal carver", date="2014-08-01")
    # a developer's commit that touches no record: it must not show as a change to the pool
    (root / "data" / "README.md").write_text("# data/\n", "utf-8")
    (root / "scripts").mkdir()
    (root / "scripts" / "bench.py").write_text("print(1)\n", "utf-8")
    _git(root, "add", "-A", date="2014-08-02")
    _git(root, "commit", "-qm", "Benchmark script, CI workflow, pre-commit hooks", date="2014-08-02")

    out = root / "build" / "site"
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["--root", str(root), "site", "build", "--out", str(out)])
    assert code == 0, buf.getvalue()
    return Built(root, out, root / "build" / "site-src", buf.getvalue())
