"""Messy submissions of every kind DESIGN.md names, and bad files that must be refused whole.
Every fixture is built here; every person is fictional."""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwt

from silverpool import yamlio
from silverpool.cli import main
from silverpool.idcard import check_char
from silverpool.intake.reader import FIELDS
from silverpool.intake.run import IntakeError, Progress, record_text, run_intake
from silverpool.loader import load_pool

from .conftest import copy_pool

DAY = "2014-07-10"


def id_number(birth: dt.date, male: bool, n: int) -> str:
    body = f"330106{birth:%Y%m%d}{(n % 90) * 10 + (7 if male else 4):03d}"
    return body + check_char(body)


def person(n: int, **over) -> dict:
    birth = dt.date(1940 + n % 15, 1 + n % 12, 3 + n % 20)
    male = n % 2 == 0
    row = {"序号": n, "姓名": "测试" + "甲乙丙丁戊己庚辛壬癸"[n % 10] + "子丑寅卯辰巳午未申酉"[n // 10 % 10], "性别": "男" if male else "女",
           "出生年月": f"{birth:%Y.%m}", "民族": "汉族", "政治面貌": "中共党员", "文化程度": "大学", "身份证号": id_number(birth, male, n),
           "离退休类别": "退休", "离退休时间": "2005.06", "原工作单位": "杭州市某局", "原职务": "科长", "职级": "正科级",
           "专业技术职称": "", "专业特长": "书法", "兴趣爱好": "摄影", "健康状况": "良好", "居住区县": "西湖区",
           "家庭住址": f"杭州市西湖区某街道{n}号", "联系电话": f"1380000{n:04d}", "选报小组": "书画组", "可服务时间": "周末",
           "可提供的服务": "讲座", "本人确认": "是", "备注": ""}
    row.update(over)
    return row


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_pool(tmp_path / "pool")


def run(root: Path, path: Path, unit: str = "市发改委", day: str = DAY):
    return run_intake(root, [path], unit, dt.date.fromisoformat(day), key_path=root / "examples/demo-fingerprint.key",
                      branch_mode=False, rng=random.Random(1))


def rows_of(outcome) -> dict[str, object]:
    return {r.seq: r for r in outcome.files[0].results if r.seq}


def talent_of(root: Path, tid: str):
    return load_pool(root).talents[tid]


# --- a messy .xlsx -----------------------------------------------------------------------------


def messy_xlsx(path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904  # saved on an old Mac
    ws = wb.active
    ws.title = "汇总"
    ws.append(["杭州市“银色人才”库基本信息表"])
    ws.append(["填报单位：杭州市发展和改革委员会　　填报日期：2014年6月20日"])
    # a two-row header: most names merged down over both rows, 联系方式 over 手机 below
    upper = list(FIELDS) + ["微信号"]  # a column the form does not know
    upper[1] = "姓\u3000名"  # full-width space
    upper[7] = "身份证号码（必填）"
    upper[3] = "\u200b出生年月"  # an invisible character
    upper[19] = "联系方式"
    lower = [""] * len(upper)
    lower[19] = "手机"
    ws.append(upper)
    ws.append(lower)
    for c in range(1, len(upper) + 1):
        if c != 20:
            ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    people = [
        person(1, 出生年月=dt.date(1941, 2, 1)),  # a real date, 1904 system
        person(2, 联系电话=13800000002.0, 身份证号=None),  # phone as float; ID set below as a damaged number
        person(3),  # hidden row
        person(4, 序号="示例", 姓名="张某某"),  # example row
        person(5, 备注='=HYPERLINK("http://example.invalid","点我")', 家庭住址="<img src=x onerror=alert(1)>"),
        person(6, 联系电话=None),  # a formula without a cached value goes here
        person(7, 出生年月=16861),  # an Excel serial in a General cell, 1904 system → 1950-03
        person(8, 性别="女"),  # disagrees with the ID number
        person(9, 政治面貌="党员", 文化程度="本科", 健康状况="健康", 居住区县="富阳", 民族="汉"),  # synonyms, short names
    ]
    # person 7 must be born 1950-03 for the serial to agree
    people[6]["身份证号"] = id_number(dt.date(1950, 3, 9), False, 7)
    for p in people:
        ws.append([p[f] for f in FIELDS] + ["wx"])
    ws.cell(row=6, column=8, value=330106194203050170)  # 序号 2: ID stored as a number by Excel
    ws.row_dimensions[7].hidden = True  # 序号 3
    ws.cell(row=9, column=25).data_type = "s"  # 序号 5: text that looks like a formula, stored as text
    ws.cell(row=10, column=20, value="=13800000000+6")  # 序号 6: formula, never calculated
    hidden = wb.create_sheet("备用")
    hidden.sheet_state = "hidden"
    hidden.append(FIELDS)
    hidden.append([person(20)[f] for f in FIELDS])
    wb.save(path)


def test_messy_xlsx(root, tmp_path):
    path = tmp_path / "messy.xlsx"
    messy_xlsx(path)
    o = run(root, path)
    fr = o.files[0]
    rows = rows_of(o)
    assert fr.tables[0].header_rows == [2, 3]
    assert fr.workbook.date1904
    assert sum(o.counts.values()) == fr.rows == 9
    assert rows["1"].outcome == "new" and talent_of(root, rows["1"].talent_id).birth == "1941-02"
    assert rows["2"].outcome == "rejected" and "存成了数字" in rows["2"].reason
    assert rows["3"].outcome == "skipped" and rows["3"].reason.startswith("隐藏行")
    assert rows["示例"].outcome == "skipped" and rows["示例"].reason == "示例行"
    assert rows["6"].outcome == "rejected" and "公式" in rows["6"].reason and "T 列" in rows["6"].reason
    assert rows["7"].outcome == "new" and talent_of(root, rows["7"].talent_id).birth == "1950-03"
    assert rows["8"].outcome == "rejected" and "性别" in rows["8"].reason
    t9 = talent_of(root, rows["9"].talent_id)
    assert (t9.political, t9.education, t9.fitness, t9.district, t9.ethnicity) == ("中共党员", "大学", "良好", "富阳市", "汉族")
    t5 = talent_of(root, rows["5"].talent_id)
    assert t5.remarks == '=HYPERLINK("http://example.invalid","点我")'
    assert t5.address == "<img src=x onerror=alert(1)>"
    notes = " ".join(fr.notes)
    assert "微信号" in notes and "隐藏的工作表「备用」" in notes and "1 个隐藏行" in notes and "1 个示例行" in notes
    body = o.body_path.read_text("utf-8")
    assert "\\<img src=x onerror=alert(1)\\>" not in body or "<img" not in body.replace("\\<img", "")
    # the return file keeps the formula-like text as text, never as a formula
    with zipfile.ZipFile(o.return_paths[0]) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "=HYPERLINK(&quot;" not in sheet and '=HYPERLINK("http' in sheet


def test_dates_after_renaming_use_the_new_district_name(root, tmp_path):
    path = tmp_path / "a.csv"
    write_csv(path, [person(30, 居住区县="富阳")], "utf-8")
    o = run(root, path, day="2015-07-01")
    r = rows_of(o)["30"]
    assert talent_of(root, r.talent_id).district == "富阳区"
    assert any("富阳区" in w for w in r.warnings)


# --- other formats -----------------------------------------------------------------------------


def write_csv(path: Path, people: list[dict], encoding: str, sep: str = ",") -> None:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep)
    w.writerow(FIELDS)
    for p in people:
        w.writerow(["" if p[f] is None else p[f] for f in FIELDS])
    path.write_bytes(buf.getvalue().encode(encoding))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(root, tmp_path, encoding):
    path = tmp_path / "t.csv"
    write_csv(path, [person(41), person(42, 姓名="测试䶮")] if encoding in ("utf-8", "utf-8-sig", "gb18030") else [person(41)], encoding)
    o = run(root, path)
    assert o.counts["new"] == (2 if encoding != "gbk" else 1)
    assert talent_of(root, rows_of(o)["41"].talent_id).name == person(41)["姓名"]


def test_xls_really_tab_separated(root, tmp_path):
    path = tmp_path / "导出.xls"
    write_csv(path, [person(51)], "gbk", sep="\t")
    o = run(root, path)
    assert o.counts["new"] == 1
    assert "制表符分隔" in " ".join(o.files[0].notes)


def test_xls_really_html(root, tmp_path):
    path = tmp_path / "网页.xls"
    p = person(52, 姓名="测试&lt;名")
    cells = "".join(f"<td>{'' if p[f] is None else p[f]}</td>" for f in FIELDS)
    html = ("<html><head><meta charset='utf-8'></head><body><table>"
            f"<tr><td colspan='25'>杭州市“银色人才”库基本信息表</td></tr>"
            "<tr>" + "".join(f"<th>{f}</th>" for f in FIELDS) + "</tr>"
            f"<tr>{cells}</tr><tr style='display:none'>{cells}</tr></table></body></html>")
    path.write_text(html, "utf-8")
    o = run(root, path)
    assert o.counts["new"] == 1 and o.counts["skipped"] == 1
    assert talent_of(root, o.files[0].results[0].talent_id).name == "测试<名"
    assert "网页（HTML）" in " ".join(o.files[0].notes)


def test_real_xls_with_hidden_row_and_float_phone(root, tmp_path):
    path = tmp_path / "old.xls"
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Sheet1")
    ws.write(0, 0, "基本信息表")
    for c, f in enumerate(FIELDS):
        ws.write(1, c, f)
    for i, n in enumerate((61, 62)):
        p = person(n, 联系电话=13800000061.0 + i, 序号=float(n))
        for c, f in enumerate(FIELDS):
            if p[f] not in (None, ""):
                ws.write(2 + i, c, p[f])
    ws.row(3).hidden = True
    wb.save(str(path))
    o = run(root, path)
    rows = rows_of(o)
    assert rows["61"].outcome == "new" and talent_of(root, rows["61"].talent_id).phone == "13800000061"
    assert rows["62"].outcome == "skipped"


def write_ods(path: Path, rows: list[list[str]]) -> None:
    def cell(v):
        return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
    body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>'
               f'<table:table table:name="Sheet1">{body}</table:table></office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)


def test_xlsx_really_ods(root, tmp_path):
    path = tmp_path / "wps.xlsx"
    p = person(71)
    write_ods(path, [FIELDS, [str(p[f] or "") for f in FIELDS]])
    o = run(root, path)
    assert o.counts["new"] == 1
    assert "OpenDocument" in " ".join(o.files[0].notes)


# --- matching ----------------------------------------------------------------------------------


def test_suspects_are_reported_never_merged_or_created(root, tmp_path):
    pool = load_pool(root)
    t = next(t for t in pool.talents.values() if t.status == "已入库")
    y, m = map(int, t.birth.split("-"))
    other_id = id_number(dt.date(y, m, 11), t.gender == "男", 81)
    path = tmp_path / "s.csv"
    write_csv(path, [person(81, 姓名=t.name, 性别=t.gender, 出生年月=t.birth.replace("-", "."), 身份证号=other_id),
                     person(82),
                     person(83, 身份证号=person(82)["身份证号"], 姓名="另一个名", 性别=person(82)["性别"], 出生年月=person(82)["出生年月"])], "utf-8")
    o = run(root, path)
    rows = rows_of(o)
    assert rows["81"].outcome == "suspect" and t.id in rows["81"].reason
    assert rows["82"].outcome == "new"
    assert rows["83"].outcome == "suspect" and "姓名不同" in rows["83"].reason
    assert len(load_pool(root).talents) == len(pool.talents) + 1
    # same ID, another name, against the pool
    path2 = tmp_path / "s2.csv"
    write_csv(path2, [person(84, 身份证号=person(82)["身份证号"], 姓名="又一个名", 性别=person(82)["性别"], 出生年月=person(82)["出生年月"])], "utf-8")
    o2 = run(root, path2, day="2014-07-11")
    r = rows_of(o2)["84"]
    assert r.outcome == "suspect" and rows["82"].talent_id in r.reason


def test_withdrawn_person_is_a_suspect(root, tmp_path):
    path = tmp_path / "w.csv"
    write_csv(path, [person(91)], "utf-8")
    o = run(root, path)
    tid = rows_of(o)["91"].talent_id
    assert main(["--root", str(root), "withdraw", tid, "--date", "2014-08-01"]) == 0
    o2 = run(root, path, day="2014-09-01")
    assert rows_of(o2)["91"].outcome == "suspect" and "退出" in rows_of(o2)["91"].reason


def test_record_text_is_the_canonical_form(root, tmp_path):
    path = tmp_path / "c.csv"
    write_csv(path, [person(95, 离退休时间="", 专业特长="")], "utf-8")
    o = run(root, path)
    t = o.files[0].results[0].record
    assert record_text(t) == yamlio.dump(t.to_data())


# --- bad files: one message, exit 2, nothing written ----------------------------------------


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(30):
                f.write(chunk)
        z.writestr("xl/workbook.xml", "<workbook/>")


def _truncated(path: Path, tmp: Path) -> None:
    full = tmp / "full.xlsx"
    messy_xlsx(full)
    path.write_bytes(full.read_bytes()[:3000])


BAD = {
    "empty.xlsx": (lambda p, t: p.write_bytes(b""), "空的"),
    "blank.csv": (lambda p, t: p.write_text("\n\n,,,\n", "utf-8"), "没有任何内容"),
    "noheader.csv": (lambda p, t: p.write_text("a,b,c\n1,2,3\n", "utf-8"), "找不到表头"),
    "encrypted.xlsx": (lambda p, t: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 400), "加密"),
    "truncated.xlsx": (_truncated, "损坏"),
    "bomb.xlsx": (lambda p, t: _zip_bomb(p), "压缩炸弹"),
    "report.xls": (lambda p, t: p.write_bytes(b"%PDF-1.4\n..."), "PDF"),
    "missing.csv": (lambda p, t: p.write_text("序号,姓名,性别,出生年月,身份证号\n1,张三,男,1950.03,x\n", "utf-8"), "缺少必填列：健康状况、本人确认"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_are_refused_whole(root, tmp_path, capsys, name, monkeypatch):
    from silverpool.intake import reader

    monkeypatch.setattr(reader, "MAX_UNZIPPED", 20 * 2**20)
    make, words = BAD[name]
    path = tmp_path / name
    make(path, tmp_path)
    before = sorted(p.name for p in (root / "data" / "talents").iterdir())
    code = main(["--root", str(root), "intake", str(path), "--unit", "市发改委", "--date", DAY, "--no-branch",
                 "--key", str(root / "examples/demo-fingerprint.key")])
    err = capsys.readouterr().err
    assert code == 2
    assert words in err and name in err or words in err
    assert "Traceback" not in err and err.count("\n") == 1
    assert sorted(p.name for p in (root / "data" / "talents").iterdir()) == before
    assert not (root / "build").exists()


def test_far_too_large_file(root, tmp_path):
    path = tmp_path / "huge.xlsx"
    with open(path, "wb") as f:
        f.truncate(60 * 2**20)  # sparse: costs nothing on disk
    with pytest.raises(IntakeError, match="文件过大"):
        run(root, path)


def test_wrong_key_and_unknown_unit_are_refused(root, tmp_path):
    path = tmp_path / "k.csv"
    write_csv(path, [person(99)], "utf-8")
    other = tmp_path / "other.key"
    other.write_bytes(b"x" * 48)
    with pytest.raises(IntakeError, match="不是本人才库的密钥"):
        run_intake(root, [path], "市发改委", dt.date(2014, 7, 10), key_path=other, branch_mode=False)
    with pytest.raises(IntakeError, match="不认识单位"):
        run(root, path, unit="火星办")
    assert not (root / "build").exists()


def test_progress_bar_only_on_a_terminal():
    quiet = io.StringIO()
    p = Progress(1000, "正在核对", quiet)
    p.update(500)
    assert quiet.getvalue() == ""

    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty = Tty()
    p = Progress(1000, "正在核对", tty)
    p.update(500)
    p.close()
    assert "50%" in tty.getvalue() and "500/1000" in tty.getvalue()
