"""Running one slow, independent step (the scan of the pool) in a forked process, so it uses the
machine's other core while this process reads the submission."""

from __future__ import annotations

from typing import Any, Callable


class Background:
    """`fn(*args)` started in a forked child; `result()` waits for its value. Where fork is not
    available, or the child fails in any way, `result()` simply runs `fn` here (same value)."""

    def __init__(self, fn: Callable[..., Any], *args: Any):
        self.fn, self.args = fn, args
        self.proc = self.conn = None
        try:
            import multiprocessing as mp

            ctx = mp.get_context("fork")
            self.conn, send = ctx.Pipe(duplex=False)
            self.proc = ctx.Process(target=_child, args=(send, fn, args), daemon=True)
            self.proc.start()
            send.close()
        except (ImportError, ValueError, OSError):
            self.proc = self.conn = None

    def result(self) -> Any:
        if self.proc is not None:
            try:
                ok, value = self.conn.recv()
            except (EOFError, OSError):
                ok, value = False, None
            self.proc.join(5)
            self.cancel()
            if ok:
                return value
        return self.fn(*self.args)

    def cancel(self) -> None:
        """Stop the child (when the run ends early) and release it."""
        if self.proc is not None:
            if self.proc.is_alive():
                self.proc.terminate()
            self.proc.join()
            self.conn.close()
            self.proc = self.conn = None


def _child(conn, fn, args) -> None:
    try:
        out = (True, fn(*args))
    except BaseException:  # noqa: BLE001 - the parent then runs fn itself and sees the error
        out = (False, None)
    try:
        conn.send(out)
    except (OSError, ValueError):  # the parent has gone or stopped waiting
        pass
    conn.close()
