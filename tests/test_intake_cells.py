"""Normalising single cells: dates, phones, ID numbers, consent, lists, headers."""

from __future__ import annotations

import datetime as dt

import pytest

from silverpool.intake import cells
from silverpool.intake.cells import CellError
from silverpool.intake.reader import header_field


@pytest.mark.parametrize("value", [
    "1950.03", "1950.3", "1950年3月", "1950年03月", "1950-3", "1950-03", "1950/03", "1950/3", "195003",
    "1950.03.15", "1950年3月15日", "19500315", "１９５０．０３", " 1950.03 ", "1950-03-15",
    dt.date(1950, 3, 1), dt.datetime(1950, 3, 15, 0, 0), 1950.03, 195003, 19500315,
])
def test_months_in_every_spelling(value):
    assert cells.months(value)[0] == (1950, 3)


def test_excel_serials_in_both_date_systems():
    assert cells.months(18323.0) == [(1950, 3)]  # 1900 system: 1950-03-01 is serial 18323
    assert cells.months(16861.0, date1904=True) == [(1950, 3)]  # the same day, 1904 system
    assert cells.serial_date(61, False) == dt.date(1900, 3, 1)  # after Excel's phantom 29 Feb 1900


def test_year_dot_one_may_be_october():
    assert cells.months(1950.1) == [(1950, 1), (1950, 10)]  # Excel keeps 1950.10 as 1950.1
    assert cells.months("1950.1") == [(1950, 1), (1950, 10)]
    assert cells.months("1950.10") == [(1950, 10)]


@pytest.mark.parametrize("value", ["1950", "1950.13", "三月", "1950年2月30日", ""])
def test_bad_months_are_refused(value):
    with pytest.raises(CellError):
        cells.months(value)


@pytest.mark.parametrize("value, want", [
    (13812345678.0, "13812345678"), (13812345678, "13812345678"), ("138 1234 5678", "13812345678"),
    ("+86 13812345678", "13812345678"), ("1.3812345678E+10", "13812345678"), ("87654321", "0571-87654321"),
    (87654321.0, "0571-87654321"), ("0571-87654321", "0571-87654321"), ("057187654321", "0571-87654321"),
    ("(0571)87654321", "0571-87654321"), ("0575-8512345", "0575-8512345"), ("13812345678/87654321", "13812345678"),
])
def test_phones(value, want):
    assert cells.phone(value) == want


@pytest.mark.parametrize("value", ["1.38123E+10", "12345", "电话", 1381234567.5])
def test_bad_phones(value):
    with pytest.raises(CellError):
        cells.phone(value)


def test_id_damaged_by_excel_is_refused_not_stored():
    with pytest.raises(CellError, match="存成了数字"):
        cells.id_text(3.30103193004072e17)
    with pytest.raises(CellError, match="科学计数法"):
        cells.id_text("3.30103E+17")
    assert cells.id_text(330106450810123.0) == "330106450810123"  # 15 digits survive as a number
    assert cells.id_text(" 33010219410121284x ") == "33010219410121284X"
    assert cells.id_text("３３０１０２１９４１０１２１２８４Ｘ") == "33010219410121284X"


def test_mask_id():
    assert cells.mask_id("33010219410121284X") == "3301**********284X"


@pytest.mark.parametrize("value, want", [
    ("是", (True, None)), ("√", (True, None)), ("已签字", (True, None)), ("否", (False, None)), (None, (False, None)),
    ("是（2014.6.1）", (True, dt.date(2014, 6, 1))), ("2014-06-01", (True, dt.date(2014, 6, 1))),
    (dt.datetime(2014, 6, 1), (True, dt.date(2014, 6, 1))), ("不同意", (False, None)),
])
def test_consent(value, want):
    assert cells.consent(value) == want


def test_consent_unclear_is_an_error():
    with pytest.raises(CellError):
        cells.consent("也许")


def test_lists_and_groups():
    assert cells.split_list("书法、篆刻，国画;摄影") == ["书法", "篆刻", "国画", "摄影"]
    assert cells.split_groups("宣讲组 文艺组/书画组；法律组,综合组，诗词组") == ["宣讲组", "文艺组", "书画组", "法律组", "综合组", "诗词组"]
    assert cells.split_list("器乐(二胡)") == ["器乐(二胡)"]


def test_text_is_verbatim():
    assert cells.text("=HYPERLINK(\"http://x\",\"y\")") == "=HYPERLINK(\"http://x\",\"y\")"
    assert cells.text(" <img onerror=alert(1)> ") == "<img onerror=alert(1)>"
    assert cells.text(12.0) == "12" and cells.text(12.5) == "12.5"


@pytest.mark.parametrize("header, want", [
    ("身份证号码", "身份证号"), ("出生年月（例：1950.03）", "出生年月"), ("联系电话 ", "联系电话"),
    ("选报小组（可多选，用顿号分隔）", "选报小组"), ("姓\u3000名", "姓名"), ("\ufeff序号", "序号"), ("*姓名", "姓名"),
    ("健康状况（必填）", "健康状况"), ("身份证号\u200b", "身份证号"), ("公民身份号码", "身份证号"), ("ＸＸ", None),
    ("杭州市“银色人才”库基本信息表", None),
])
def test_header_names(header, want):
    assert header_field(header) == want
