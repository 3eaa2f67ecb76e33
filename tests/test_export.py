"""`silverpool export`: the files open in openpyxl with the right values, a title row, a frozen
header and column widths, and no cell is ever a formula."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from silverpool.cli import main
from silverpool.yearly.export import FORM_COLUMNS, POOL_COLUMNS
from silverpool import yamlio
from silverpool.loader import load_pool
from tests.test_yearly_pool import build_pool

REPO = Path(__file__).resolve().parent.parent
NASTY = {"remarks": "=HYPERLINK(\"http://x\",\"点我\")", "employer": "+86 某单位", "post": "-1+2", "title": "@SUM(A1:A3)"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, Path]:
    root = build_pool(tmp_path_factory.mktemp("tiny"))
    # fields an intake could have taken from a cell that looks like a formula
    t = load_pool(root).talents["T000001"]
    for k, v in NASTY.items():
        setattr(t, k, v)
    yamlio.write_all({root / "data" / "talents" / "T000001.yaml": yamlio.dump(t.to_data())})
    assert main(["--root", str(root), "check"]) == 0
    out = root / "out"
    files = {"pool": out / "pool.xlsx", "roster": out / "roster.xlsx", "year": out / "year.xlsx"}
    assert main(["--root", str(root), "export", "pool", "--out", str(files["pool"])]) == 0
    assert main(["--root", str(root), "export", "roster", "yiwei", "--out", str(files["roster"])]) == 0
    assert main(["--root", str(root), "export", "year", "2015", "--out", str(files["year"])]) == 0
    return files


def rows(path: Path, sheet: int = 0) -> list[tuple]:
    ws = openpyxl.load_workbook(path).worksheets[sheet]
    return [tuple(c.value for c in row) for row in ws.iter_rows()]


def test_pool_table_in_registration_form_order_with_title_and_frozen_header(exported):
    wb = openpyxl.load_workbook(exported["pool"])
    ws = wb.active
    assert ws["A1"].value.startswith("测试人才库基本信息表（已入库人员 9 人")
    assert [c.value for c in ws[2]] == FORM_COLUMNS + POOL_COLUMNS
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["B"].width >= 6 and ws.column_dimensions["S"].width > 0
    r = {h: c.value for h, c in zip(FORM_COLUMNS + POOL_COLUMNS, ws[3])}
    assert (r["序号"], r["姓名"], r["性别"], r["居住区县"], r["联系电话"]) == (1, "甲一", "男", "西湖区", "13900000000")
    assert r["出生年月"] == dt.datetime(1950, 1, 1) and ws.cell(3, 4).number_format == "yyyy-mm"
    assert r["身份证号"] is None and r["选报小组"] == "医卫组" and r["本人确认"] == "已签字（2014-07-10）"
    assert r["入库日期"] == dt.datetime(2014, 7, 10) and r["人员编号"] == "T000001"
    assert ws.max_row == 2 + 9


def test_formula_like_values_stay_literal_text(exported):
    ws = openpyxl.load_workbook(exported["pool"]).active
    r = {h: c for h, c in zip(FORM_COLUMNS + POOL_COLUMNS, ws[3])}
    assert r["备注"].value == NASTY["remarks"] and r["备注"].data_type == "s" and r["备注"].quotePrefix
    assert r["原工作单位"].value == NASTY["employer"] and r["原工作单位"].data_type == "s"
    assert r["原职务"].value == "-1+2" and r["专业技术职称"].value == "@SUM(A1:A3)"
    for path in exported.values():
        with zipfile.ZipFile(path) as z:
            sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
            assert sheets and not any("<f>" in z.read(n).decode() or "<f " in z.read(n).decode() for n in sheets)
        for ws in openpyxl.load_workbook(path).worksheets:
            assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_roster_lists_leaders_first_with_hours_and_stars(exported):
    data = rows(exported["roster"])
    assert data[0][0] == "医卫组花名册（现任成员 5 人）"
    assert data[1][:6] == ("序号", "人员编号", "姓名", "性别", "出生年月", "组内职务")
    body = [(r[1], r[5], r[11], r[12]) for r in data[2:]]
    assert body == [("T000001", "组长", 310, 2), ("T000002", "副组长", 100, 1), ("T000003", "副组长", 299.5, 1),
                    ("T000004", "成员", 0, 0), ("T000009", "成员", 0, 0)]
    assert openpyxl.load_workbook(exported["roster"]).active.freeze_panes == "A3"


def test_year_summary_has_activities_groups_and_hours(exported):
    wb = openpyxl.load_workbook(exported["year"])
    assert wb.sheetnames == ["活动汇总", "小组汇总", "服务时长"]
    acts = rows(exported["year"], 0)
    assert acts[0][0] == "2015年活动汇总（7 项）"
    assert acts[2][1:4] == ("A2015-001", dt.datetime(2015, 1, 1), dt.datetime(2015, 1, 31))
    assert sum(r[15] for r in acts[2:]) == 120 + 100 + 100 + 30 + 23.5 + 24
    assert [r[16] for r in acts[2:]].count("第1项") == 2
    groups = rows(exported["year"], 1)
    assert groups[2][1:8] == ("医卫组", 2, 5, 1, 50, 320, 3) and groups[2][8] == dt.datetime(2015, 1, 12)
    hours = rows(exported["year"], 2)
    assert [(r[1], r[4], r[6], r[7]) for r in hours[2:5]] == [("T000001", 120, 2, "是"), ("T000002", 100, 1, "是"), ("T000003", 100, 1, "是")]
    assert [r[7] for r in hours[2:]].count("是") == 4


def test_export_of_the_demo_pool(tmp_path, pool_root):
    assert main(["--root", str(pool_root), "export", "year", "2016", "--out", str(tmp_path / "y.xlsx")]) == 0
    ws = openpyxl.load_workbook(tmp_path / "y.xlsx").active
    assert ws.max_row - 2 == len(list((pool_root / "data" / "activities" / "2016").glob("*.yaml")))


def test_unknown_group_and_empty_year_are_one_line_errors(exported, capsys, tmp_path):
    root = exported["pool"].parent.parent
    assert main(["--root", str(root), "export", "roster", "nosuch", "--out", str(tmp_path / "r.xlsx")]) == 2
    assert "未知小组 \"nosuch\"" in capsys.readouterr().err
    assert main(["--root", str(root), "export", "year", "2030", "--out", str(tmp_path / "y.xlsx")]) == 2
    assert "2030 年没有任何活动记录或计划" in capsys.readouterr().err
    assert not (tmp_path / "y.xlsx").exists()


# --- where an export may be written ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "dir", "symlink"])
def test_export_refuses_to_replace_what_is_not_a_regular_file(exported, capsys, tmp_path, kind):
    import os
    import stat

    root = exported["pool"].parent.parent
    target = tmp_path / "out.xlsx"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "dir":
        target.mkdir()
    else:
        (tmp_path / "real.xlsx").write_bytes(b"keep")
        target.symlink_to(tmp_path / "real.xlsx")
    before = os.lstat(target).st_mode
    assert main(["--root", str(root), "export", "year", "2015", "--out", str(target)]) == 2
    assert capsys.readouterr().err.strip() == f"错误：{target} 已存在且不是普通文件（目录、设备、管道或链接），不会覆盖；请换一个输出位置（--out）"
    assert os.lstat(target).st_mode == before and not stat.S_ISREG(before)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.xlsx"] + (["real.xlsx"] if kind == "symlink" else []))
    if kind == "symlink":
        assert (tmp_path / "real.xlsx").read_bytes() == b"keep"


def test_export_replaces_an_existing_xlsx_but_accepts_no_other_suffix(exported, capsys, tmp_path):
    root = exported["pool"].parent.parent
    target = tmp_path / "old.xlsx"
    target.write_bytes(b"old")
    assert main(["--root", str(root), "export", "pool", "--out", str(target)]) == 0
    assert openpyxl.load_workbook(target).active.title == "基本信息表"
    assert [p.name for p in tmp_path.iterdir()] == ["old.xlsx"]  # no temp file left behind
    capsys.readouterr()
    for name in ("notes.txt", "table.csv", "noext"):
        assert main(["--root", str(root), "export", "pool", "--out", str(tmp_path / name)]) == 2
        assert capsys.readouterr().err.strip() == f"错误：输出文件 {tmp_path / name} 应以 .xlsx 结尾；请换一个文件名（--out）"
        assert not (tmp_path / name).exists()
    assert main(["--root", str(root), "export", "pool", "--out", str(tmp_path / "a\0b.xlsx")]) == 2
    assert "含空字符；请换一个文件名（--out）" in capsys.readouterr().err


def test_export_refuses_a_target_inside_data(tmp_path, capsys):
    root = build_pool(tmp_path / "tiny")
    for out in (root / "data" / "x.xlsx", root / "data" / "talents" / ".." / "talents" / "x.xlsx", root / "data" / "new" / "x.xlsx"):
        assert main(["--root", str(root), "export", "roster", "yiwei", "--out", str(out)]) == 2
        assert "在人才库的 data/ 目录内：导出文件含个人信息，不能放进数据目录" in capsys.readouterr().err
        assert not out.exists()
    assert not (root / "data" / "new").exists()


def test_default_roster_file_name_comes_from_the_group_id(tmp_path, capsys):
    root = build_pool(tmp_path / "tiny")
    pool = load_pool(root)
    g = pool.groups["yiwei"]
    for name in ("../../../pwned", "a/b"):
        g.name = name
        yamlio.write_all({pool.file_of(g): yamlio.dump(g.to_data())})
        assert main(["--root", str(root), "export", "roster", "yiwei"]) == 0
        assert f"已导出{name}花名册：{root / 'build' / 'exports' / '花名册-yiwei.xlsx'}" in capsys.readouterr().out
    assert [p.name for p in (root / "build" / "exports").iterdir()] == ["花名册-yiwei.xlsx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny"] and sorted(p.name for p in root.iterdir()) == ["build", "data"]
