"""`silverpool intake` and `silverpool template`, registered into the main CLI."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ..cli import EXTENSIONS, UserError, _date, command


@command("intake")
def cmd_intake(args: argparse.Namespace) -> int:
    from .run import IntakeError, run_intake, summary_lines

    try:
        outcome = run_intake(args.root, args.files, args.unit, args.date or dt.date.today(), args.key,
                             branch_mode=not args.no_branch, open_pr=not args.no_pr)
    except IntakeError as e:
        raise UserError(str(e)) from None
    for line in summary_lines(outcome, args.root, date_given=args.date is not None):
        print(line)
    return 0


@command("template")
def cmd_template(args: argparse.Namespace) -> int:
    from ..loader import load_pool
    from .template import write_template

    out: Path = args.out
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"模板文件名应以 .xlsx 结尾（收到 {out.name}）")
    if out.exists() and not args.force:
        raise UserError(f"{out} 已存在，不会覆盖；换个文件名或加 --force")
    pool = load_pool(args.root, reference_only=True)
    if pool.vocab is None or not pool.groups:
        raise UserError("读不到人才库的参考数据（data/reference/ 和 data/groups/）：请用 --root 指向人才库仓库")
    write_template(out, pool, args.date or dt.date.today())
    print(f"已生成空白《基本信息表》：{out}（身份证号、联系电话列为文本格式；第 4 行为示例，可删除）")
    return 0


def _parsers(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("intake", help="把单位报送的 Excel 表格入库：生成分支、合并请求说明和退回表")
    c.add_argument("files", nargs="+", type=Path, metavar="FILE", help="单位报送的 .xlsx / .xls / .csv 文件")
    c.add_argument("--unit", required=True, help="报送单位（名称、简称或编号，见 data/reference/units.yaml）")
    c.add_argument("--date", type=_date, default=None, help="入库日期 YYYY-MM-DD（默认今天）")
    c.add_argument("--key", type=Path, default=None, help="身份证指纹密钥文件（默认按 $SILVERPOOL_KEY_FILE、~/.config/silverpool/fingerprint.key、演示密钥的顺序查找）")
    c.add_argument("--no-branch", action="store_true", help="不建分支，直接把人员文件写入工作区")
    c.add_argument("--no-pr", action="store_true", help="只建分支，不用 gh 创建合并请求")

    c = sub.add_parser("template", help="生成供单位填写的空白《基本信息表》（.xlsx）")
    c.add_argument("out", type=Path, metavar="OUT.xlsx")
    c.add_argument("--date", type=_date, default=None, help="按此日期列出居住区县（默认今天）")
    c.add_argument("--force", action="store_true", help="覆盖已存在的文件")


EXTENSIONS.append(_parsers)
