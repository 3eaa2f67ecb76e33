"""Turning one cell of a submission into a value of the record, or a Chinese reason why not.

Cells come from calamine (str, float, int, bool, date, datetime), xlrd or CSV (str). Every
function raises `CellError` with a message the unit can act on.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

_SPACES = re.compile(r"[\s\u00a0\u200b-\u200f\u2028-\u202f\u205f\u2060\u3000\ufeff]+")


# the patterns of the functions below, compiled once (they run for every row)
_YEAR_DOT_1 = re.compile(r"^\d{4}\.1$")
_SCI_ID = re.compile(r"\d(\.\d+)?E\+?\d+")
_SCI_PHONE = re.compile(r"(\d(?:\.\d+)?)E\+?(\d+)")
_PHONE_SEP = re.compile(r"[/、,，;；]|或")
_PHONE_PUNCT = re.compile(r"[\-()（）—－]")
_COUNTRY = re.compile(r"^(\+?86)(?=1\d{10}$)")
_LOCAL8 = re.compile(r"[2-8]\d{7}")
_LANDLINE = re.compile(r"(0\d{2,3})-?(\d{7,8})")
_BRACKETS = re.compile(r"[()（）\s]")
_DATED = re.compile(r"^(.*?)[(（:：]?(\d{4}[年.\-/]\d{1,2}[月.\-/]\d{1,2}日?)[)）]?$")
_LIST_SEP = re.compile(r"[、，,；;/／\n]+")
_GROUP_SEP = re.compile(r"[、，,；;/／\s]+")


class CellError(ValueError):
    pass


_WS = " \t\r\n\x0b\x0c\u00a0\u3000\ufeff\u200b\u200c\u200d\u2060"


def is_blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip(_WS))


def text(value: Any) -> str | None:
    """A cell as text, verbatim except for surrounding whitespace; numbers without a '.0'."""
    if type(value) is str:  # the common case, kept fast
        return value.strip(_WS) or None
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip(_WS) or None


def compact(value: Any) -> str:
    """NFKC and no spaces at all: for codes, words from vocabularies, digits."""
    s = text(value)
    return _SPACES.sub("", unicodedata.normalize("NFKC", s)) if s else ""


# --- dates ------------------------------------------------------------------------------------

_YM = re.compile(r"^(\d{4})\s*(?:年|[.\-/。,，])\s*(\d{1,2})\s*(?:月份?)?(?:\s*(?:[.\-/]|月)?\s*(\d{1,2})\s*[日号]?)?\s*(?:生|出生)?$")
_YMD8 = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YM6 = re.compile(r"^(\d{4})(\d{2})$")


def serial_date(serial: float, date1904: bool) -> dt.date:
    """An Excel serial day number in the workbook's date system."""
    if date1904:
        return dt.date(1904, 1, 1) + dt.timedelta(days=int(serial))
    # 1900 system: Excel counts a 29 Feb 1900 that never was
    return dt.date(1899, 12, 31 if serial < 60 else 30) + dt.timedelta(days=int(serial))


def months(value: Any, date1904: bool = False) -> list[tuple[int, int]]:
    """The year-months a cell may mean, most likely first. Usually one; "1950.1" may be January
    or October (Excel drops the trailing zero of 1950.10), so callers with a cross-check (the ID
    number) pick, others take the first."""
    if isinstance(value, dt.datetime):
        return [(value.year, value.month)]
    if isinstance(value, dt.date):
        return [(value.year, value.month)]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        v = float(value)
        if not math.isfinite(v):
            raise CellError("不是日期")
        if 1900 <= v < 2100:
            s = repr(v) if v != int(v) else str(int(v))
            return months(s)
        if 190001 <= v <= 210012 and v == int(v):
            return months(str(int(v)))
        if 19000101 <= v <= 21001231 and v == int(v):
            return months(str(int(v)))
        if 1 <= v < 73051:
            d = serial_date(v, date1904)
            return [(d.year, d.month)]
        raise CellError(f"「{text(value)}」不是日期")
    s = compact(value)
    if not s:
        raise CellError("未填")
    m = _YM.match(s) or _YMD8.match(s) or _YM6.match(s)
    if not m:
        raise CellError(f"「{text(value)}」不是可识别的年月（请写成 1950.03 或 1950年3月）")
    year, month = int(m.group(1)), int(m.group(2))
    day = int(m.group(3)) if m.lastindex and m.lastindex >= 3 and m.group(3) else None
    if not 1 <= month <= 12 or not 1900 <= year <= 2100:
        raise CellError(f"「{text(value)}」中的年月不存在")
    if day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            raise CellError(f"「{text(value)}」中的日期不存在") from None
    if month == 1 and _YEAR_DOT_1.match(s):
        return [(year, 1), (year, 10)]
    return [(year, month)]


def month_text(ym: tuple[int, int]) -> str:
    return f"{ym[0]:04d}-{ym[1]:02d}"


def full_date(value: Any, date1904: bool = False) -> dt.date | None:
    """A complete date in a cell, or None when it holds no day."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        v = float(value)
        if 19000101 <= v <= 21001231 and v == int(v):
            return full_date(str(int(v)))
        if 1 <= v < 73051 and not 1900 <= v < 2100:
            return serial_date(v, date1904)
        return None
    s = compact(value)
    m = _YMD8.match(s) or _YM.match(s)
    if m and m.lastindex and m.lastindex >= 3 and m.group(3):
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


# --- ID numbers and phones --------------------------------------------------------------------


def id_text(value: Any) -> str:
    """The ID number as written, refusing one that Excel already damaged."""
    if isinstance(value, bool):
        raise CellError("不是身份证号")
    if isinstance(value, (int, float)):
        v = float(value)
        if math.isfinite(v) and v == int(v) and len(str(int(v))) == 15:
            return str(int(v))  # a first-generation number survives as an exact number
        raise CellError("身份证号被 Excel 存成了数字，后几位已经丢失：请把该列设为“文本”格式后按原件重新录入")
    s = compact(value).upper()
    if _SCI_ID.fullmatch(s):
        raise CellError(f"身份证号被 Excel 改成了科学计数法（{s}），后几位已经丢失：请把该列设为“文本”格式后按原件重新录入")
    if s.startswith("'"):
        s = s[1:]
    return s


def mask_id(number: str) -> str:
    """3301**********123X: enough to find the row, not enough to be the number."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


_MOBILE = re.compile(r"^1\d{10}$")


def phone(value: Any) -> str:
    """A mobile (11 digits) or a landline with area code; Hangzhou landlines get 0571."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        v = float(value)
        if not math.isfinite(v) or v != int(v):
            raise CellError(f"联系电话「{text(value)}」不是电话号码")
        s = str(int(v))
    else:
        s = compact(value)
        m = _SCI_PHONE.fullmatch(s.upper())
        if m:
            digits = m.group(1).replace(".", "")
            if len(digits) < int(m.group(2)) + 1:
                raise CellError(f"联系电话被 Excel 改成了科学计数法（{s}），数字已经丢失：请设为“文本”格式后重新录入")
            s = str(int(float(s)))
    first = _PHONE_SEP.split(s)[0]
    raw = _PHONE_PUNCT.sub("", first)
    raw = _COUNTRY.sub("", raw)
    if not raw.isdigit():
        raise CellError(f"联系电话「{text(value)}」不是电话号码")
    if _MOBILE.match(raw):
        return raw
    if _LOCAL8.fullmatch(raw):  # Hangzhou landline written without its area code
        return "0571-" + raw
    if raw.startswith("0571") and len(raw) == 12:
        return "0571-" + raw[4:]
    m = _LANDLINE.fullmatch(_BRACKETS.sub("-", first).replace("--", "-"))
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    if raw.startswith("0") and 10 <= len(raw) <= 12:
        area = 3 if raw[1] in "12" else 4
        return f"{raw[:area]}-{raw[area:]}"
    raise CellError(f"联系电话「{text(value)}」位数不对（手机 11 位，固定电话 0571-8 位数字）")


# --- words ------------------------------------------------------------------------------------


def gender(value: Any) -> str:
    s = compact(value).lower()
    if s in ("男", "男性", "m", "male", "1"):
        return "男"
    if s in ("女", "女性", "f", "female", "2", "0"):
        return "女"
    raise CellError(f"性别「{text(value)}」应为 男 或 女")


_YES = {"是", "已签", "已签字", "签字", "已签名", "签名", "同意", "已确认", "确认", "本人确认", "y", "yes", "√", "✓", "✔", "已同意", "自愿", "有"}
_NO = {"否", "不同意", "未签", "未签字", "未确认", "n", "no", "×", "✗", "无", "不是"}


def consent(value: Any, date1904: bool = False) -> tuple[bool, dt.date | None]:
    """本人确认: yes/no, and a date when one is written (a date alone means signed then)."""
    if is_blank(value):
        return False, None
    d = full_date(value, date1904)
    if d is not None and not isinstance(value, str):
        return True, d
    s = compact(value).lower()
    m = _DATED.match(s)
    day = None
    if m:
        day = full_date(m.group(2))
        s = m.group(1).strip("，,;；")
        if s == "":
            return True, day
    if s in _YES:
        return True, day
    if s in _NO:
        return False, None
    raise CellError(f"本人确认「{text(value)}」应为 是 或 否（可附签字日期）")


def split_list(value: Any) -> list[str]:
    """A list written in one cell: separated by 、，,；;/ or new lines."""
    s = text(value)
    if not s:
        return []
    return [p.strip() for p in _LIST_SEP.split(s) if p.strip()]


def split_groups(value: Any) -> list[str]:
    """Groups may also be separated by spaces (names hold none)."""
    s = text(value)
    if not s:
        return []
    return [p for p in _GROUP_SEP.split(unicodedata.normalize("NFKC", s)) if p]


def vocab(value: Any, allowed: list[str], synonyms: dict[str, str], suffixes: tuple[str, ...] = ()) -> str:
    s = compact(value)
    if s in allowed:
        return s
    if s in synonyms:
        return synonyms[s]
    for suf in suffixes:
        if s + suf in allowed:
            return s + suf
    raise CellError(f"「{text(value)}」不在可选值中（可选：{'、'.join(allowed[:14])}{'、…' if len(allowed) > 14 else ''}）")
