"""The intake's branch: one commit built with `git fast-import`, so the user's checkout, index
and working tree are never touched and the branch appears all at once or not at all."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import threading
from pathlib import Path


class GitError(Exception):
    pass


def _git(root: Path, *args: str, input: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess:
    try:
        p = subprocess.run(["git", "-C", str(root), *args], input=input, capture_output=True)
    except OSError:
        raise GitError("找不到 git 命令：请先安装 git，或用 --no-branch 直接写入工作区") from None
    if check and p.returncode != 0:
        raise GitError(f"git {args[0]} 失败：{p.stderr.decode('utf-8', 'replace').strip()}")
    return p


def _allocator_env() -> dict[str, str]:
    """The environment for fast-import. glibc's malloc gives the top of the heap back to the
    system after each object and takes it again for the next: thousands of blobs then cost more
    in page faults than in git. A high trim threshold keeps that memory (3x less CPU for 10,000
    blobs); other C libraries ignore the variable."""
    env = dict(os.environ)
    tunables = env.get("GLIBC_TUNABLES", "")
    if "trim_threshold" not in tunables:
        env["GLIBC_TUNABLES"] = ":".join(filter(None, [tunables, "glibc.malloc.trim_threshold=268435456"]))
    return env


def _popen(root: Path, *args: str) -> subprocess.Popen:
    try:
        return subprocess.Popen(["git", "-C", str(root), *args], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=_allocator_env())
    except OSError:
        raise GitError("找不到 git 命令：请先安装 git，或用 --no-branch 直接写入工作区") from None


def is_repo(root: Path) -> bool:
    try:
        p = _git(root, "rev-parse", "--show-toplevel", check=False)
    except GitError:
        return False
    return p.returncode == 0 and Path(p.stdout.decode().strip()).resolve() == root.resolve()


def head(root: Path) -> str:
    p = _git(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False)
    if p.returncode != 0:
        raise GitError("仓库还没有任何提交：请先提交 data/ 再入库，或用 --no-branch")
    return p.stdout.decode().strip()


def current_branch(root: Path) -> str | None:
    p = _git(root, "symbolic-ref", "--quiet", "--short", "HEAD", check=False)
    return p.stdout.decode().strip() or None if p.returncode == 0 else None


def branch_exists(root: Path, branch: str) -> bool:
    return _git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False).returncode == 0


def dirty(root: Path, path: str) -> list[str]:
    p = _git(root, "status", "--porcelain", "--untracked-files=all", "--", path)
    return [line[3:] for line in p.stdout.decode("utf-8", "replace").splitlines()]


def ident(root: Path, which: str) -> str:
    p = _git(root, "var", f"GIT_{which}_IDENT", check=False)
    if p.returncode != 0:
        raise GitError("git 不知道提交人：请先运行 git config user.name \"姓名\" 和 git config user.email \"邮箱\"")
    return p.stdout.decode().strip()


def _blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _tree_entries(root: Path, treeish: str) -> dict[str, str]:
    """name -> "mode type id" of a tree; empty when it does not exist."""
    p = _git(root, "ls-tree", "-z", treeish, check=False)
    if p.returncode != 0:
        return {}
    out = {}
    for item in p.stdout.decode("utf-8").split("\0"):
        if item:
            meta, name = item.split("\t", 1)
            out[name] = meta
    return out


def _mktree(root: Path, entries: dict[str, str]) -> str:
    text = "".join(f"{meta}\t{name}\0" for name, meta in entries.items())
    return _git(root, "mktree", "-z", input=text.encode("utf-8")).stdout.decode().strip()


class BranchCommit:
    """Create a branch at a new commit on HEAD that adds/replaces `files` (repo-relative path ->
    text), in two steps so the caller can work meanwhile: the constructor starts storing the blobs
    (one `git fast-import`, a pack, fed from a thread), `finish` builds the trees with `git mktree`
    (cost grows with the number of files, never with files × directory size), commits and sets
    the branch. Nothing is visible until `finish` sets the branch."""

    def __init__(self, root: Path, files: dict[str, str]):
        self.root = root
        self.parent = head(root)
        self.blobs: dict[str, dict[str, str]] = {}  # directory -> name -> blob id
        stream = []
        for path in sorted(files):
            data = files[path].encode("utf-8")
            d, _, name = path.rpartition("/")
            self.blobs.setdefault(d, {})[name] = _blob_id(data)
            stream += [b"blob\n", b"data %d\n" % len(data), data, b"\n"]
        stream.append(b"done\n")
        self.proc = _popen(root, "fast-import", "--quiet", "--done")
        self.err = b""
        self.feeder = threading.Thread(target=self._feed, args=(b"".join(stream),), daemon=True)
        self.feeder.start()

    def _feed(self, data: bytes) -> None:
        try:
            self.err = self.proc.communicate(data)[1]
        except OSError as e:  # git died early: report it in finish
            self.err = str(e).encode()

    def finish(self, branch: str, message: str) -> str:
        """Wait for the blobs, then commit and create `branch`; returns the commit."""
        self.feeder.join()
        if self.proc.returncode != 0:
            raise GitError(f"git fast-import 失败：{self.err.decode('utf-8', 'replace').strip()}")
        root, parent, blobs = self.root, self.parent, self.blobs

        def build(d: str) -> str:
            """The new tree of directory d ("" for the root), rebuilding only changed paths."""
            entries = _tree_entries(root, f"{parent}:{d}" if d else parent)
            for name, blob in blobs.get(d, {}).items():
                entries[name] = f"100644 blob {blob}"
            prefix = f"{d}/" if d else ""
            children = {k[len(prefix):].split("/", 1)[0] for k in blobs if k != d and k.startswith(prefix)}
            for child in sorted(children):
                entries[child] = f"040000 tree {build(prefix + child)}"
            return _mktree(root, entries)

        tree = build("")
        commit = _git(root, "commit-tree", tree, "-p", parent, input=message.encode("utf-8")).stdout.decode().strip()
        # the empty old value makes this fail, rather than overwrite, if the branch appeared meanwhile
        _git(root, "update-ref", f"refs/heads/{branch}", commit, "")
        return commit

    def abort(self) -> None:
        """The run failed before `finish`: let git end cleanly; its unreferenced blobs are harmless
        (git gc removes them)."""
        self.feeder.join()


def commit_branch(root: Path, branch: str, files: dict[str, str], message: str) -> str:
    """Create `branch` at a new commit on HEAD that adds/replaces `files`. Returns the commit."""
    return BranchCommit(root, files).finish(branch, message)


def open_pull_request(root: Path, branch: str, base: str | None, title: str, body_file: Path) -> str | None:
    """Push and open the PR with gh when gh is installed and a remote exists; else None.
    Returns a Chinese line saying what happened."""
    if shutil.which("gh") is None:
        return None
    remotes = _git(root, "remote", check=False).stdout.decode().split()
    if not remotes:
        return None
    remote = "origin" if "origin" in remotes else remotes[0]
    push = _git(root, "push", "--quiet", "-u", remote, branch, check=False)
    if push.returncode != 0:
        return f"推送分支失败，未创建合并请求：{push.stderr.decode('utf-8', 'replace').strip()}"
    args = ["gh", "pr", "create", "--head", branch, "--title", title, "--body-file", str(body_file)]
    if base:
        args += ["--base", base]
    p = subprocess.run(args, cwd=root, capture_output=True, text=True)
    if p.returncode != 0:
        return f"gh 创建合并请求失败：{p.stderr.strip()}（分支已推送，可在网页上手动创建）"
    return f"已创建合并请求：{p.stdout.strip()}"
