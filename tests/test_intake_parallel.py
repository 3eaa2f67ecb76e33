"""The pool scan in a forked process and the fast-import environment."""

import os
import time

import pytest

from silverpool.intake import gitops
from silverpool.intake.parallel import Background


def _pid_and_square(x):
    return os.getpid(), x * x


def test_background_runs_in_another_process_and_returns_its_value():
    pid, value = Background(_pid_and_square, 7).result()
    assert value == 49
    assert pid != os.getpid()


def _fails_in_child(parent):
    if os.getpid() != parent:
        raise RuntimeError("child only")
    return "ran here"


def test_a_failing_child_falls_back_to_running_here():
    assert Background(_fails_in_child, os.getpid()).result() == "ran here"


def _boom():
    raise ValueError("broken pool")


def test_an_error_of_the_work_itself_reaches_the_caller():
    with pytest.raises(ValueError, match="broken pool"):
        Background(_boom).result()


def test_cancel_stops_a_running_child():
    b = Background(time.sleep, 30)
    proc = b.proc
    start = time.monotonic()
    b.cancel()
    assert time.monotonic() - start < 5
    assert proc.exitcode is not None and not proc.is_alive()


def test_fast_import_environment_sets_a_trim_threshold_and_keeps_the_users(monkeypatch):
    monkeypatch.delenv("GLIBC_TUNABLES", raising=False)
    assert gitops._allocator_env()["GLIBC_TUNABLES"] == "glibc.malloc.trim_threshold=268435456"
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.arena_max=2")
    assert gitops._allocator_env()["GLIBC_TUNABLES"] == "glibc.malloc.arena_max=2:glibc.malloc.trim_threshold=268435456"
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=1")
    assert gitops._allocator_env()["GLIBC_TUNABLES"] == "glibc.malloc.trim_threshold=1"
