"""`silverpool site build|serve` and `silverpool history ID`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import EXTENSIONS, UserError, command


def _parsers(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("site", help="生成内部网站（mkdocs-material，离线可用）")
    s = c.add_subparsers(dest="site_command", required=True, metavar="操作")
    b = s.add_parser("build", help="由数据生成网站到 build/site/")
    b.add_argument("--out", type=Path, default=None, help="网站输出目录（默认 build/site）")
    v = s.add_parser("serve", help="在本机预览网站，data/ 变化后自动重新生成")
    v.add_argument("--port", type=int, default=8000)
    v.add_argument("--out", type=Path, default=None, help="网站输出目录（默认 build/site）")

    h = sub.add_parser("history", help="显示一条记录（人员、小组或活动）的变更历史")
    h.add_argument("id", help="编号，如 T4K7Q2M、shuhua 或 A2015-001")


EXTENSIONS.append(_parsers)


@command("site")
def cmd_site(args: argparse.Namespace) -> int:
    from .build import build_site
    from .serve import serve

    if args.site_command == "serve":
        return serve(args.root, args.out, args.port)
    result = build_site(args.root, args.out)
    if result.problems:
        print(f"注意：数据有 {result.problems} 个问题，出错的文件没有进入网站；请运行 silverpool check 查看。", file=sys.stderr)
    t = result.timings
    print(f"网站已生成：{result.pages} 个页面（{result.people} 人），用时 {sum(t.values()):.1f} 秒"
          f"（读取数据 {t['load']:.1f} 秒，生成页面 {t['history'] + t['markdown']:.1f} 秒，mkdocs {t['mkdocs']:.1f} 秒）。")
    print(f"打开 {result.index}（可直接用浏览器打开），或运行 silverpool site serve 后访问 http://127.0.0.1:8000/")
    return 0


@command("history")
def cmd_history(args: argparse.Namespace) -> int:
    from ..history import Names, describe, read_history, record_path

    path = record_path(args.root, args.id)
    if path is not None:
        rel = path.relative_to(args.root).as_posix()
    elif args.id.startswith("T"):
        rel = f"data/talents/{args.id}.yaml"  # a record deleted since: git still has it
    else:
        raise UserError(f"找不到编号为 {args.id} 的人员、小组或活动（data/ 下没有 {args.id}.yaml）")
    hist = read_history(args.root, [rel])
    if not hist.available:
        raise UserError(f"{args.root} 不是 git 仓库，没有变更历史")
    changes = hist.of(rel)
    if not changes:
        raise UserError(f"{rel} 在 git 历史中没有提交记录（还没有提交？）")
    names = Names.of_files(args.root)  # only the names this history needs are read
    print(f"{rel} 的变更历史（共 {len(changes)} 次，最新在前）：")
    for ch in changes:  # date, kind and fields: the (English) commit message and author stay out
        print(f"{ch.date}  {ch.kind}")
        for fc in ch.fields:
            print(f"    {describe(fc, ch.record, names)}")
    return 0
