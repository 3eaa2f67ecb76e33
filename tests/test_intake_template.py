"""`silverpool template`: the blank form, and a filled copy of it going through intake."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import openpyxl

from silverpool.cli import main
from silverpool.intake.reader import FIELDS
from silverpool.intake.run import run_intake

from .conftest import copy_pool
from .test_intake_files import person


def test_template_then_intake(tmp_path: Path, capsys):
    root = copy_pool(tmp_path / "pool")
    out = tmp_path / "基本信息表.xlsx"
    assert main(["--root", str(root), "template", str(out), "--date", "2014-06-01"]) == 0
    assert "已生成" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["填表说明", "基本信息表", "选项"]
    assert wb["选项"].sheet_state == "hidden"
    ws = wb["基本信息表"]
    header = [c.value for c in ws[3]]
    assert [h.rstrip("*") for h in header] == FIELDS
    id_col, phone_col = FIELDS.index("身份证号") + 1, FIELDS.index("联系电话") + 1
    assert ws.cell(row=10, column=id_col).number_format == "@" and ws.cell(row=10, column=phone_col).number_format == "@"
    lists = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert len(lists) == 10
    opts = wb["选项"]
    columns = {opts.cell(row=1, column=c).value: [opts.cell(row=r, column=c).value for r in range(2, 40) if opts.cell(row=r, column=c).value]
               for c in range(1, 11)}
    assert columns["性别"] == ["男", "女"] and columns["本人确认"] == ["是", "否"]
    assert "宣讲组" in columns["选报小组"] and "富阳市" in columns["居住区县"] and "临平区" not in columns["居住区县"]
    assert set(columns) >= {"政治面貌", "文化程度", "健康状况"}

    # a unit fills two rows below the example and sends it back
    p1, p2 = person(301), person(302)
    for i, p in enumerate((p1, p2)):
        for c, f in enumerate(FIELDS, start=1):
            ws.cell(row=5 + i, column=c, value=p[f])
    filled = tmp_path / "填好的表.xlsx"
    wb.save(filled)
    o = run_intake(root, [filled], "市发改委", dt.date(2014, 7, 10), key_path=root / "examples/demo-fingerprint.key",
                   branch_mode=False, rng=random.Random(3))
    c = o.counts
    assert (c["new"], c["skipped"], sum(c.values())) == (2, 1, 3)  # the example row is skipped
    assert "工作表「填表说明」中没有找到表头" in " ".join(o.files[0].notes)
    assert "隐藏的工作表「选项」未读取" in " ".join(o.files[0].notes)
