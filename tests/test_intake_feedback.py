"""What an intake tells its user: the console summary, kept report folders, the return file
holding the unit's values as they sent them, rename notices, Chinese OS errors, the intake and
填报 dates. Every person is fictional."""

from __future__ import annotations

import base64
import datetime as dt
import errno
import hashlib
import hmac
import random
import warnings
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from silverpool.cli import main
from silverpool.idcard import fingerprint
from silverpool.intake.reader import FIELDS, ReadError, SheetData, filled_date, find_table, os_error_text, read_workbook

from .conftest import copy_pool
from .test_intake_files import person, run, write_csv

KEY = "examples/demo-fingerprint.key"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_pool(tmp_path / "pool")


def cli(root: Path, path: Path, *extra: str) -> int:
    return main(["--root", str(root), "intake", str(path), "--unit", "市发改委", "--no-branch", "--key", str(root / KEY), *extra])


# --- 1. the console lists the rows sent back, with their reasons ------------------------------


def test_console_lists_rejected_and_suspect_rows_with_reasons(root, tmp_path, capsys):
    path = tmp_path / "t.csv"
    people = [person(1), person(2, 本人确认="否"), person(3, 性别="男"), person(4, **{k: person(1)[k] for k in ("身份证号", "出生年月", "性别")}, 姓名="另一人")]
    write_csv(path, people, "utf-8")
    assert cli(root, path, "--date", "2014-07-10") == 0
    out = capsys.readouterr().out.splitlines()
    assert "  退回 序号 2（第 3 行）" + person(2)["姓名"] + "：本人未确认（本人确认为“否”）：未经本人同意不能入库" in out
    assert any(line.startswith("  退回 序号 3（第 4 行）") and "性别（表中为男）与身份证号（女）不符" in line for line in out)
    assert any(line.startswith("  待核实 序号 4（第 5 行）另一人：与本表序号 1（第 2 行）") for line in out)
    assert not any("序号 1（第 2 行）" in line and line.startswith("  退回") for line in out)  # the new person is not listed
    assert not any("另有" in line for line in out)


def test_console_list_is_capped_at_fifty_rows(root, tmp_path, capsys):
    path = tmp_path / "many.csv"
    write_csv(path, [person(n, 本人确认="否") for n in range(1, 54)], "utf-8")
    assert cli(root, path, "--date", "2014-07-10") == 0
    out = capsys.readouterr().out.splitlines()
    assert sum(1 for line in out if line.startswith("  退回 序号 ")) == 50
    assert "  …另有 3 行，见退回表" in out
    assert "  退回 序号 50（第 51 行）" + person(50)["姓名"] + "：本人未确认（本人确认为“否”）：未经本人同意不能入库" in out
    assert not any(line.startswith("  退回 序号 51（") for line in out)


# --- 2. a second run of the day keeps the first run's report and return file ------------------


def test_runs_of_the_same_day_keep_earlier_outputs(root, tmp_path):
    path = tmp_path / "t.csv"
    write_csv(path, [person(1)], "utf-8")
    first = run(root, path)
    write_csv(path, [person(1), person(2)], "utf-8")
    second = run(root, path)
    third = run(root, path)
    base = root / "build" / "intake"
    assert [o.out_dir for o in (first, second, third)] == [base / "U001-2014-07-10", base / "U001-2014-07-10-2", base / "U001-2014-07-10-3"]
    assert "新增人员（1）" in first.body_path.read_text("utf-8")  # the first report is still the first run's
    assert first.return_paths[0].exists() and second.return_paths[0].exists()
    assert second.return_paths[0].parent.name == "U001-2014-07-10-2"


# --- 3. the return file holds the unit's values as they sent them ------------------------------


def submission(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["杭州市“银色人才”库基本信息表"])
    ws.append(FIELDS)
    values = [
        person(1, 序号=1, 出生年月=None, 联系电话=13957100001, 备注="=1+1", 家庭住址="+86 大街", 原职务="-", 专业特长="@书法"),
        person(2, 序号=2, 联系电话=87654321, 本人确认=None),
    ]
    for p in values:
        ws.append([p[f] for f in FIELDS])
    birth = dt.date(1941, 2, 3)  # person(1)'s birth, typed as a real date shown as 1941年2月
    c = ws.cell(row=3, column=FIELDS.index("出生年月") + 1, value=dt.datetime(birth.year, birth.month, 1))
    c.number_format = 'yyyy"年"m"月"'
    ws.cell(row=3, column=FIELDS.index("备注") + 1).data_type = "s"  # text that looks like a formula
    ws.cell(row=4, column=FIELDS.index("本人确认") + 1, value=dt.datetime(2014, 6, 20))  # a signing date
    ws.cell(row=4, column=FIELDS.index("离退休时间") + 1, value=2005.5)  # a number with a fraction stays one
    wb.save(path)


def test_return_file_keeps_the_units_values(root, tmp_path):
    path = tmp_path / "表.xlsx"
    submission(path)
    o = run(root, path)
    assert o.counts["new"] == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "Workbook contains no default style"
        ws = openpyxl.load_workbook(o.return_paths[0]).active
    col = {f: FIELDS.index(f) + 1 for f in FIELDS}
    birth = ws.cell(row=3, column=col["出生年月"])
    assert birth.value == dt.datetime(1941, 2, 1) and birth.is_date and birth.number_format == 'yyyy"年"m"月"'
    signed = ws.cell(row=4, column=col["本人确认"])
    assert signed.value == dt.datetime(2014, 6, 20) and signed.number_format == 'yyyy"年"m"月"d"日"'
    assert ws.cell(row=3, column=col["序号"]).value == 1 and type(ws.cell(row=3, column=col["序号"]).value) is int
    assert ws.cell(row=3, column=col["联系电话"]).value == "13957100001"  # text: Excel shows every digit
    assert ws.cell(row=4, column=col["联系电话"]).value == 87654321
    assert ws.cell(row=4, column=col["离退休时间"]).value == 2005.5
    for field, text in (("备注", "=1+1"), ("家庭住址", "+86 大街"), ("原职务", "-"), ("专业特长", "@书法")):
        cell = ws.cell(row=3, column=col[field])
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert ws.cell(row=3, column=col["姓名"]).value == person(1)["姓名"]
    assert ws.cell(row=3, column=col["身份证号"]).value == person(1)["身份证号"]
    assert ws.cell(row=2, column=len(FIELDS) + 1).value == "处理结果" and ws.cell(row=2, column=1).font.b
    assert ws.cell(row=3, column=len(FIELDS) + 1).value.startswith("已入库（新增，编号 T")
    # and another reader agrees
    rows = CalamineWorkbook.from_path(str(o.return_paths[0])).get_sheet_by_index(0).to_python(skip_empty_area=False)
    assert rows[2][col["出生年月"] - 1] == dt.date(1941, 2, 1) and rows[2][0] == 1 and rows[2][col["联系电话"] - 1] == "13957100001"


def test_return_file_cells_are_never_formulas(root, tmp_path):
    import zipfile

    path = tmp_path / "t.csv"
    write_csv(path, [person(1, 备注="=HYPERLINK(\"http://example.invalid\")", 家庭住址="@SUM(A1)")], "utf-8")
    o = run(root, path)
    with zipfile.ZipFile(o.return_paths[0]) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    assert '=HYPERLINK("http://example.invalid")</t>' in xml and "@SUM(A1)</t>" in xml


# --- 4. rename notices say what happened ------------------------------------------------------


def test_merged_district_notice(root, tmp_path):
    path = tmp_path / "t.csv"
    write_csv(path, [person(1, 居住区县="下城"), person(2, 居住区县="富阳")], "utf-8")
    o = run(root, path, day="2022-03-01")
    r1, r2 = o.files[0].results
    assert "居住区县「下城区」已于 2021-04-09 并入「拱墅区」，按入库日期记为「拱墅区」" in r1.warnings
    assert "居住区县「富阳市」已于 2014-12-13 改为「富阳区」，按入库日期记为「富阳区」" in r2.warnings
    assert r1.record.district == "拱墅区" and r2.record.district == "富阳区"


def test_district_not_yet_created(root, tmp_path):
    path = tmp_path / "t.csv"
    write_csv(path, [person(1, 居住区县="临平区")], "utf-8")
    o = run(root, path, day="2015-07-01")
    (r,) = o.files[0].results
    assert "居住区县「临平区」2021-04-09 才设立，入库日期 2015-07-01 时还没有这个区县，未录入" in r.warnings
    assert r.record.district is None


# --- 5. OS errors in Chinese, with the file name -----------------------------------------------


def test_missing_file_and_folder_are_refused_in_chinese(root, tmp_path, capsys):
    assert cli(root, tmp_path / "nofile.xlsx", "--date", "2014-07-10") == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：nofile.xlsx：找不到这个文件") and "No such file" not in err
    folder = tmp_path / "报送"
    folder.mkdir()
    with pytest.raises(ReadError, match="^报送：这是一个文件夹，不是文件"):
        read_workbook(folder)


def test_os_error_texts():
    assert os_error_text(PermissionError(errno.EACCES, "Permission denied")).startswith("没有读取这个文件的权限")
    assert os_error_text(FileNotFoundError(errno.ENOENT, "No such file or directory")).startswith("找不到这个文件")
    assert os_error_text(IsADirectoryError(errno.EISDIR, "Is a directory")).startswith("这是一个文件夹")
    assert os_error_text(OSError(errno.EIO, "Input/output error")) == "无法打开（系统错误 5：Input/output error）"


# --- 6. the intake date and the 填报日期 -------------------------------------------------------


def test_intake_date_is_shown_and_marked_when_defaulted(root, tmp_path, capsys):
    path = tmp_path / "t.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["填报单位：杭州市发展和改革委员会　　填报日期：2014年6月20日"])
    ws.append(FIELDS)
    ws.append([person(1)[f] for f in FIELDS])
    wb.save(path)
    assert cli(root, path) == 0
    out = capsys.readouterr().out.splitlines()
    today = dt.date.today()
    assert out[0] == f"杭州市发展和改革委员会（U001） 入库日期 {today}（未指定 --date，按今天）"
    assert f"  · 表中填报日期 2014-06-20；如是补录旧表，请用 --date 2014-06-20 重新入库" in out
    body = (root / "build" / "intake" / f"U001-{today}" / "pr.md").read_text("utf-8")
    assert f"## 杭州市发展和改革委员会（U001）报送，入库日期 {today}" in body
    assert "- t.xlsx（填报日期 2014-06-20）：表头以下共 1 行" in body
    assert cli(root, path, "--date", "2014-07-10") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "杭州市发展和改革委员会（U001） 入库日期 2014-07-10"
    assert "  · 表中填报日期 2014-06-20" in out


@pytest.mark.parametrize("title, want", [
    (["填报日期：2014年6月20日"], dt.date(2014, 6, 20)),
    (["填报单位：某局", "填表日期: 2015.7.1 联系人：王"], dt.date(2015, 7, 1)),
    (["填报日期：", "", dt.datetime(2016, 3, 5)], dt.date(2016, 3, 5)),
    (["填报日期", "2016-03-06"], dt.date(2016, 3, 6)),
    (["填报日期：    年  月  日"], None),
    (["杭州市“银色人才”库基本信息表"], None),
])
def test_filled_date(title, want):
    sheet = SheetData("表", [title, FIELDS, [person(1)[f] for f in FIELDS]])
    assert filled_date(find_table(sheet)) == want


# --- 7. the fingerprint is the HMAC formula it always was ---------------------------------------


def test_fingerprint_equals_the_original_formula():
    rng = random.Random(3)
    key = b"k" * 48
    for _ in range(500):
        number = f"{rng.randrange(10**16, 10**17)}{rng.choice('0123456789X')}"
        old = base64.b32encode(hmac.new(key, number.encode(), hashlib.sha256).digest()).decode().lower()[:24]
        assert fingerprint(key, number) == old
    assert fingerprint(b"silverpool" * 4, "11010519491231002X") == "mw5a4mc2jeilxp2kbxsvbhvu"  # pinned: stored pools hold these
