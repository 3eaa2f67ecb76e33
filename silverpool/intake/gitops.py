"""The intake's branch: one commit built with `git fast-import`, so the user's checkout, index
and working tree are never touched and the branch appears all at once or not at all."""

from __future__ import annotations

import shutil
import subprocess
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


def commit_branch(root: Path, branch: str, files: dict[str, str], message: str) -> str:
    """Create `branch` at a new commit on HEAD that adds/replaces `files` (repo-relative path ->
    text). Returns the commit id."""
    parent = head(root)
    author, committer = ident(root, "AUTHOR"), ident(root, "COMMITTER")
    msg = message.encode()
    chunks = [f"commit refs/heads/{branch}\n".encode(), f"author {author}\n".encode(), f"committer {committer}\n".encode(),
              f"data {len(msg)}\n".encode(), msg, b"\n", f"from {parent}\n".encode()]
    for path in sorted(files):
        data = files[path].encode("utf-8")
        chunks += [f"M 100644 inline {path}\n".encode(), f"data {len(data)}\n".encode(), data, b"\n"]
    chunks.append(b"done\n")
    _git(root, "fast-import", "--quiet", "--done", "--date-format=raw", input=b"".join(chunks))
    return _git(root, "rev-parse", f"refs/heads/{branch}").stdout.decode().strip()


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
