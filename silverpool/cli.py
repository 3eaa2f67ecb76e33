"""The `silverpool` command. Every subcommand reads the pool through the one loader.

User-facing output is Chinese; any expected failure is a one-line message and exit code 1 or 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from . import yamlio
from .loader import Pool, load_pool


class UserError(Exception):
    """An expected failure: printed as one Chinese line, exit code 2."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD，如 2014-07-15（收到 {text!r}）") from None


def default_root() -> Path:
    """The repository this command stands in: the git top level, else the current folder."""
    try:
        out = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True)
        top = Path(out.stdout.strip())
        if (top / "data").is_dir():
            return top
    except (OSError, subprocess.CalledProcessError):
        pass
    return Path.cwd()


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def command(name: str):
    def wrap(fn):
        COMMANDS[name] = fn
        return fn

    return wrap


def _load(args: argparse.Namespace) -> Pool:
    if not (args.root / "data").is_dir():
        raise UserError(f"{args.root} 下没有 data/ 目录，不是人才库仓库：请在仓库里运行，或用 --root 指定")
    return load_pool(args.root)


# argparse's own words, in Chinese (it looks them up through gettext at call time)
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
}
argparse._ = lambda text: _ARGPARSE_ZH.get(text, text)  # type: ignore[attr-defined]


# --- check and fmt ----------------------------------------------------------------------------


@command("check")
def cmd_check(args: argparse.Namespace) -> int:
    from .checks import run_checks

    pool = _load(args)
    run_checks(pool, args.as_of)
    problems = sorted(set(pool.problems))
    for p in problems:
        print(p.github() if args.format == "github" else p.text())
    summary = f"检查了 {len(pool.files)} 个文件：{len(pool.talents)} 名人员、{len(pool.groups)} 个小组、{len(pool.activities)} 项活动"
    if problems:
        print(f"{summary}；发现 {len(problems)} 个问题。", file=sys.stderr)
        return 1
    print(f"{summary}；全部通过。", file=sys.stderr)
    return 0


@command("fmt")
def cmd_fmt(args: argparse.Namespace) -> int:
    pool = _load(args)
    changed = {lf.path: want for lf in pool.files if (want := yamlio.dump(lf.record.to_data())) != lf.text}
    for p in pool.problems:
        print(f"{p.text()}（无法格式化，请先修正）", file=sys.stderr)
    for path in sorted(changed):
        print(("需要格式化：" if args.check else "已格式化：") + pool.rel(path))
    if not args.check:
        yamlio.write_all(changed)
    if args.check and changed:
        print(f"{len(changed)} 个文件不是规范格式：运行 silverpool fmt 修正。", file=sys.stderr)
        return 1
    if not pool.problems:
        done = "已格式化 {} 个，其余".format(len(changed)) if changed and not args.check else ""
        print(f"共 {len(pool.files)} 个文件，{done}均为规范格式。", file=sys.stderr)
    return 1 if pool.problems else 0


# --- people -----------------------------------------------------------------------------------


@command("withdraw")
def cmd_withdraw(args: argparse.Namespace) -> int:
    from .withdraw import WithdrawError, withdraw

    pool = _load(args)
    args.id = args.id.strip().upper()
    try:
        notices = withdraw(pool, args.id, args.date, args.reason)
    except WithdrawError as e:
        raise UserError(str(e)) from None
    t = pool.talents[args.id]
    print(f"{t.name}（{t.id}）已于 {args.date} 退出：联系电话、家庭住址已删除，小组成员资格已截止。")
    for n in notices:
        print("请注意：" + n)
    return 0


@command("demo")
def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import generate

    counts = generate(args.root, people=args.people, activities=args.activities, seed=args.seed)
    print("已生成演示人才库：" + "，".join(f"{k} {v}" for k, v in counts.items()))
    return 0


@command("key")
def cmd_key(args: argparse.Namespace) -> int:
    from .idcard import DEFAULT_KEY_PATH, key_id, new_key

    path = args.out or DEFAULT_KEY_PATH
    if path.exists():
        raise UserError(f"{path} 已存在，不会覆盖（覆盖会使已有指纹全部失效）")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = new_key()
    path.write_bytes(key + b"\n")
    path.chmod(0o600)
    print(f"已生成指纹密钥 {path}（编号 {key_id(key)}）。请妥善备份，切勿提交到 git；"
          f"在 data/pool.yaml 中写入 fingerprint_key_id: \"{key_id(key)}\"。")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="silverpool", description="银色人才库：检查、入库、网站与导出")
    p.add_argument("--root", type=Path, default=None, help="人才库仓库目录（默认为当前所在的仓库）")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")

    c = sub.add_parser("check", help="检查全部数据（CI 也运行它）")
    c.add_argument("--as-of", type=_date, default=None, help="按此日期判断在任与已结束年度（默认不看今天的日期）")
    c.add_argument("--format", choices=["text", "github"], default="text", help="text：每个问题一行（默认）；github：GitHub 合并请求上的批注")

    c = sub.add_parser("fmt", help="把全部 YAML 文件写成规范格式")
    c.add_argument("--check", action="store_true", help="只检查，不修改；有不规范文件时返回非零")

    c = sub.add_parser("withdraw", help="人员退出：保留记录，删除联系方式")
    c.add_argument("id", help="人员编号，如 T4K7Q2M")
    c.add_argument("--date", type=_date, required=True)
    c.add_argument("--reason", default=None)

    c = sub.add_parser("demo", help="重新生成虚构的演示人才库（会覆盖 data/ 下的人员、小组和活动）")
    c.add_argument("--people", type=int, default=300)
    c.add_argument("--activities", type=int, default=None)
    c.add_argument("--seed", type=int, default=2014)

    c = sub.add_parser("key", help="身份证指纹密钥（存放在 git 之外）")
    c.add_argument("action", choices=["init"], help="init：生成新密钥")
    c.add_argument("--out", type=Path, default=None, help="密钥文件（默认 ~/.config/silverpool/fingerprint.key）")

    for extend in EXTENSIONS:
        extend(sub)
    return p


# Other modules add their subcommands here (intake, site, the year's work), keeping this file small.
EXTENSIONS: list[Callable[[argparse._SubParsersAction], None]] = []


def main(argv: list[str] | None = None) -> int:
    _load_extensions()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.root is None:
        args.root = default_root()
    args.root = args.root.resolve()
    try:
        return COMMANDS[args.command](args)
    except UserError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `silverpool hours | head`: the reader left, nothing to report
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("已中断，未写入任何文件。", file=sys.stderr)
        return 130


def _load_extensions() -> None:
    """The subcommands that live beside their code register themselves on import."""
    from .intake import cli as _intake  # noqa: F401
    from .site import cli as _site  # noqa: F401
    from .yearly import cli as _yearly  # noqa: F401
