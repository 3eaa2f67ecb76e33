"""`silverpool site serve`: build, serve the built site on this machine, rebuild on changes."""

from __future__ import annotations

import functools
import os
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .build import build_site, site_folder


def _signature(folders: list[Path]) -> tuple:
    """A cheap fingerprint of the folders: every file's path, size and modification time."""
    sig = []
    for folder in folders:
        for dirpath, _, files in os.walk(folder):
            for name in files:
                try:
                    st = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue
                sig.append((dirpath, name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(sig))


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


def serve(root: Path, out: Path | None = None, port: int = 8000, host: str = "127.0.0.1") -> int:
    root = Path(root).resolve()
    out = (out or root / "build" / "site").resolve()
    watched = [root / "data", site_folder(root)]
    result = build_site(root, out)
    print(f"网站已生成（{result.pages} 个页面）。")
    handler = functools.partial(_Quiet, directory=str(out))
    server = ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"请在浏览器中打开 http://{host}:{port}/ ；data/ 或 site/ 有变化时会自动重新生成。按 Ctrl+C 停止。")
    last = _signature(watched)
    try:
        while True:
            time.sleep(2)
            now = _signature(watched)
            if now == last:
                continue
            last = now
            print("检测到数据变化，正在重新生成……", file=sys.stderr)
            try:
                result = build_site(root, out)
                print(f"已重新生成（{result.pages} 个页面）。", file=sys.stderr)
            except Exception as e:  # keep serving the last good site
                print(f"重新生成失败：{e}", file=sys.stderr)
    except KeyboardInterrupt:
        print("已停止预览。")
    finally:
        server.shutdown()
    return 0
