"""Reading a submission: recognise the file by its content, read every sheet, find the table.

Values come from python-calamine (fast, also for .xls and .ods). What calamine does not give
(hidden rows, formulas without a cached value, the 1904 date system of plain serials) is read
from the .xlsx XML directly with a scan, never with openpyxl's slow full mode.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import html.parser
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from .cells import full_date, is_blank

MAX_BYTES = 50 * 2**20  # a 10,000-row table is ~1.5 MB; anything near this is not a form
MAX_UNZIPPED = 400 * 2**20
MAX_RATIO = 120  # spreadsheet XML compresses ~5-30x; a bomb compresses 1000x


class ReadError(Exception):
    """The whole file cannot be taken: one Chinese message naming the file and what to do."""


@dataclass
class SheetData:
    name: str
    rows: list[list[Any]]  # row i is spreadsheet row i+1, column j is column j+1
    hidden_rows: set[int] = field(default_factory=set)
    formulas: set[tuple[int, int]] = field(default_factory=set)  # formula cells with no cached value
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


@dataclass
class Workbook:
    path: Path
    kind: str  # 用户可读的类型名
    sheets: list[SheetData]
    hidden_sheets: list[str] = field(default_factory=list)
    date1904: bool = False
    notes: list[str] = field(default_factory=list)


# --- recognising the file ---------------------------------------------------------------------


_OS_ERRORS = {
    errno.ENOENT: "找不到这个文件：请检查文件名和所在文件夹是否写对",
    errno.ENOTDIR: "找不到这个文件：路径中的某一级不是文件夹，请检查路径",
    errno.EACCES: "没有读取这个文件的权限：请检查文件权限，或复制一份到自己的文件夹再入库",
    errno.EPERM: "没有读取这个文件的权限：请检查文件权限，或复制一份到自己的文件夹再入库",
    errno.EISDIR: "这是一个文件夹，不是文件：请写出文件夹中的表格文件名",
    errno.ENAMETOOLONG: "文件名过长，无法打开：请把文件改个短名字",
    errno.ELOOP: "路径中的链接形成了循环，无法打开：请检查路径",
}


def os_error_text(e: OSError) -> str:
    """The common reasons a file cannot be opened, in Chinese (the OS's own text is English)."""
    return _OS_ERRORS.get(e.errno) or f"无法打开（系统错误 {e.errno}：{e.strerror}）"


def read_workbook(path: Path) -> Workbook:
    name = path.name or str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "Is a directory")
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as e:
        raise ReadError(f"{name}：{os_error_text(e)}") from None
    if size == 0:
        raise ReadError(f"{name}：文件是空的（0 字节），请让单位重新发送")
    if size > MAX_BYTES:
        raise ReadError(f"{name}：文件过大（{size / 2**20:.0f} MB，上限 {MAX_BYTES // 2**20} MB），不像一份基本信息表；请拆分或检查是否发错文件")
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        wb = _read_zip(path)
    elif head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        wb = _read_ole(path)
    elif head.startswith(b"%PDF"):
        raise ReadError(f"{name}：这是 PDF 文件，不是表格；请让单位发送 Excel 原表")
    elif head.startswith(b"{\\rtf") or head[:4] in (b"\x89PNG", b"GIF8") or head[:3] == b"\xff\xd8\xff":
        raise ReadError(f"{name}：这不是表格文件（是文档或图片）；请让单位发送 Excel 原表")
    else:
        wb = _read_text(path)
    real = {"xlsx": ".xlsx", "xls": ".xls", "ods": ".ods", "csv": ".csv", "tsv": ".tsv", "html": ".html"}
    if suffix and real.get(wb.kind) != suffix and not (wb.kind in ("csv", "tsv") and suffix in (".csv", ".txt", ".tsv")) and not (wb.kind == "html" and suffix == ".htm"):
        wb.notes.append(f"{name} 的扩展名是 {suffix}，实际内容是{_KIND_NAMES[wb.kind]}，已按实际内容读取")
    if not any(any(not is_blank(v) for v in row) for s in wb.sheets for row in s.rows):
        raise ReadError(f"{name}：表格里没有任何内容，请让单位重新发送")
    return wb


_KIND_NAMES = {"xlsx": " Excel 工作簿（.xlsx）", "xls": " Excel 97-2003 工作簿（.xls）", "ods": " OpenDocument 表格（.ods）",
               "csv": " CSV 文本", "tsv": "制表符分隔的文本", "html": "网页（HTML）表格"}


def _check_zip(path: Path) -> zipfile.ZipFile:
    try:
        z = zipfile.ZipFile(path)
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ReadError(f"{path.name}：文件不完整或已损坏（可能只下载了一部分），请让单位重新发送") from None
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNZIPPED or (total > 20 * 2**20 and total / packed > MAX_RATIO):
        raise ReadError(f"{path.name}：文件解压后有 {total / 2**20:.0f} MB（压缩比 {total / packed:.0f} 倍），像是压缩炸弹或异常文件，已拒绝读取")
    return z


def _read_zip(path: Path) -> Workbook:
    z = _check_zip(path)
    names = set(z.namelist())
    if "mimetype" in names and b"opendocument.spreadsheet" in z.read("mimetype"):
        return _read_calamine(path, "ods")
    if "xl/workbook.xml" in names:
        wb = _read_calamine(path, "xlsx")
        try:
            _xlsx_extras(z, wb)
        except (KeyError, zipfile.BadZipFile, OSError):
            pass  # the extras are refinements; calamine already read the values
        return wb
    if "word/document.xml" in names:
        raise ReadError(f"{path.name}：这是 Word 文档，不是表格；请让单位发送 Excel 原表")
    raise ReadError(f"{path.name}：这是一个压缩包，不是 Excel 表格；请解压后提交其中的表格文件")


def _read_ole(path: Path) -> Workbook:
    data = path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise ReadError(f"{path.name}：文件设置了打开密码（已加密），无法读取；请让单位去掉密码另存后重新发送")
    if "WordDocument".encode("utf-16-le") in data:
        raise ReadError(f"{path.name}：这是 Word 文档，不是表格；请让单位发送 Excel 原表")
    wb = _read_calamine(path, "xls")
    try:
        import xlrd

        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
        wb.date1904 = bool(book.datemode)
        for sheet in wb.sheets:
            s = book.sheet_by_name(sheet.name)
            sheet.hidden_rows = {r for r, info in s.rowinfo_map.items() if info.hidden}
    except Exception:  # noqa: BLE001 - hidden rows are a refinement; values came from calamine
        pass
    return wb


def _read_calamine(path: Path, kind: str) -> Workbook:
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        if path.suffix.lower() == "." + kind:
            book = CalamineWorkbook.from_path(str(path))
        else:  # calamine picks its reader by the name: give it the content when the name lies
            book = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
        wb = Workbook(path, kind, [])
        for meta in book.sheets_metadata:
            if str(meta.visible).endswith("Visible") and "Hidden" not in str(meta.visible):
                sheet = book.get_sheet_by_name(meta.name)
                rows = sheet.to_python(skip_empty_area=False)
                merged = list(sheet.merged_cell_ranges or []) if kind != "ods" else []
                wb.sheets.append(SheetData(meta.name, rows, merged=merged))
            else:
                wb.hidden_sheets.append(meta.name)
    except PasswordError:
        raise ReadError(f"{path.name}：文件设置了打开密码（已加密），无法读取；请让单位去掉密码另存后重新发送") from None
    except Exception as e:  # noqa: BLE001 - calamine raises several kinds for broken files
        msg = str(e).lower()
        if "password" in msg or "encrypt" in msg:
            raise ReadError(f"{path.name}：文件设置了打开密码（已加密），无法读取；请让单位去掉密码另存后重新发送") from None
        raise ReadError(f"{path.name}：文件已损坏或不完整，无法读取（{_KIND_NAMES[kind].strip()}）；请让单位用 Excel 打开后重新保存再发送") from None
    return wb


_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"|<Relationship\b[^>]*?\bTarget="([^"]+)"[^>]*?\bId="([^"]+)"')
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]+)"')
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*>')
_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)


def _xlsx_extras(z: zipfile.ZipFile, wb: Workbook) -> None:
    """Hidden rows, uncached formulas and the date system, read from the XML."""
    book = z.read("xl/workbook.xml")
    wb.date1904 = bool(re.search(rb'date1904="(1|true)"', book))
    rels = {}
    for m in _REL.finditer(z.read("xl/_rels/workbook.xml.rels")):
        rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        rels[rid] = target.decode()
    by_name = {s.name: s for s in wb.sheets}
    import html as _html

    for m in _SHEET.finditer(book):
        sheet = by_name.get(_html.unescape(m.group(1).decode()))
        target = rels.get(m.group(2))
        if sheet is None or target is None:
            continue
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        xml = z.read(part)
        if b"hidden=" in xml:
            for r in _ROW.finditer(xml):
                tag = r.group()
                if re.search(rb'\bhidden="(1|true)"', tag) and (n := re.search(rb'\br="(\d+)"', tag)):
                    sheet.hidden_rows.add(int(n.group(1)) - 1)
        if b"<f" in xml or b":f>" in xml:
            for c in _CELL.finditer(xml):
                body = c.group(3) or b""
                if re.search(rb"<(?:\w+:)?f[\s>/]", body) and not re.search(rb"<(?:\w+:)?v>[^<]+<", body):
                    sheet.formulas.add((int(c.group(2)) - 1, _col_index(c.group(1).decode())))


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def col_letter(index: int) -> str:
    """Excel's column letters of a 0-based column index (0 → A)."""
    return get_column_letter(index + 1)


# --- text files -------------------------------------------------------------------------------


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise ReadError(f"{path.name}：既不是 Excel 文件，也不是 UTF-8 或 GBK 编码的文本，无法读取；请让单位用 Excel 另存为 .xlsx") from None


def _read_text(path: Path) -> Workbook:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(f"{path.name}：文件已损坏或不是表格（含二进制内容），无法读取；请让单位用 Excel 另存为 .xlsx 后重新发送")
    text = _decode(path, raw)
    start = text.lstrip()[:2000].lower()
    if start.startswith("<") and ("<table" in text.lower()):
        return Workbook(path, "html", _html_tables(text))
    if start.startswith("<"):
        raise ReadError(f"{path.name}：这是网页或 XML 文件，里面没有表格；请让单位发送 Excel 原表")
    first = text.split("\n", 5)[:5]
    tabs, commas = sum(x.count("\t") for x in first), sum(x.count(",") for x in first)
    kind = "tsv" if tabs > commas else "csv"
    rows = list(csv.reader(io.StringIO(text), delimiter="\t" if kind == "tsv" else ","))
    return Workbook(path, kind, [SheetData(path.stem, [list(r) for r in rows])])


class _TableParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.hidden: list[set[int]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.span = 1
        self.row_hidden = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append([])
            self.hidden.append(set())
        elif tag == "tr" and self.tables:
            self.row = []
            self.row_hidden = "display:none" in (a.get("style") or "").replace(" ", "").lower()
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
            try:
                self.span = max(1, min(100, int(a.get("colspan") or 1)))
            except ValueError:
                self.span = 1
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.row.extend([""] * (self.span - 1))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.tables:
            if self.row_hidden:
                self.hidden[-1].add(len(self.tables[-1]))
            self.tables[-1].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _html_tables(text: str) -> list[SheetData]:
    p = _TableParser()
    p.feed(text)
    return [SheetData(f"表格{i + 1}", t, hidden_rows=h) for i, (t, h) in enumerate(zip(p.tables, p.hidden)) if t]


# --- finding the table ------------------------------------------------------------------------

# The form's columns (the template's header) and the other ways units write them.
FIELDS = ["序号", "姓名", "性别", "出生年月", "民族", "政治面貌", "文化程度", "身份证号", "离退休类别", "离退休时间",
          "原工作单位", "原职务", "职级", "专业技术职称", "专业特长", "兴趣爱好", "健康状况", "居住区县", "家庭住址",
          "联系电话", "选报小组", "可服务时间", "可提供的服务", "本人确认", "备注"]
REQUIRED = ["姓名", "性别", "出生年月", "身份证号", "健康状况", "本人确认"]
SYNONYMS = {
    "编号": "序号", "序": "序号", "序列号": "序号", "no": "序号",
    "名字": "姓名", "姓 名": "姓名",
    "出生日期": "出生年月", "出生年月日": "出生年月", "出生时间": "出生年月", "生日": "出生年月", "出生年份": "出生年月",
    "身份证号码": "身份证号", "身份证": "身份证号", "公民身份号码": "身份证号", "公民身份证号": "身份证号", "身份证件号码": "身份证号",
    "证件号码": "身份证号", "居民身份证号": "身份证号", "居民身份证号码": "身份证号",
    "政治身份": "政治面貌", "党派": "政治面貌",
    "学历": "文化程度", "文化": "文化程度", "最高学历": "文化程度",
    "离休退休": "离退休类别", "离退休": "离退休类别", "离休或退休": "离退休类别", "类别": "离退休类别", "离退类别": "离退休类别",
    "退休时间": "离退休时间", "离休时间": "离退休时间", "离退休日期": "离退休时间", "退休日期": "离退休时间", "离退时间": "离退休时间",
    "原单位": "原工作单位", "工作单位": "原工作单位", "原工作单位及职务": "原工作单位", "退休前单位": "原工作单位",
    "职务": "原职务", "原任职务": "原职务",
    "级别": "职级", "原职级": "职级",
    "职称": "专业技术职称", "专业技术职务": "专业技术职称", "技术职称": "专业技术职称",
    "特长": "专业特长", "专长": "专业特长", "专业": "专业特长",
    "爱好": "兴趣爱好", "兴趣": "兴趣爱好",
    "健康情况": "健康状况", "身体状况": "健康状况", "身体健康状况": "健康状况", "身体情况": "健康状况",
    "区县": "居住区县", "居住地": "居住区县", "所在区县": "居住区县", "居住区域": "居住区县", "所在区": "居住区县", "居住区": "居住区县", "区县市": "居住区县",
    "住址": "家庭住址", "家庭地址": "家庭住址", "居住地址": "家庭住址", "现住址": "家庭住址", "通讯地址": "家庭住址", "地址": "家庭住址",
    "电话": "联系电话", "手机": "联系电话", "手机号码": "联系电话", "手机号": "联系电话", "联系方式": "联系电话", "电话号码": "联系电话", "联系电话手机": "联系电话",
    "固定电话": "联系电话", "座机": "联系电话",
    "小组": "选报小组", "报名小组": "选报小组", "意向小组": "选报小组", "选报组别": "选报小组", "参加小组": "选报小组", "选择小组": "选报小组", "拟参加小组": "选报小组",
    "服务时间": "可服务时间", "可服务时间段": "可服务时间",
    "可提供服务": "可提供的服务", "服务内容": "可提供的服务", "服务项目": "可提供的服务", "可提供的服务内容": "可提供的服务",
    "本人签字": "本人确认", "本人签名": "本人确认", "是否同意": "本人确认", "本人意愿": "本人确认", "确认": "本人确认",
    "本人确认签字": "本人确认", "是否本人确认": "本人确认", "本人是否同意": "本人确认",
    "说明": "备注",
}
_NOTE = re.compile(r"[(（【\[].*?[)）】\]]")
_INVIS = re.compile(r"[\s\u00a0\u200b-\u200f\u2028-\u202f\u205f\u2060\u3000\ufeff*＊★☆※:：]+")
_KNOWN = {f: f for f in FIELDS} | SYNONYMS


def header_field(cell: Any) -> str | None:
    """The form field a header cell names: NFKC, no invisible or full-width spaces, no
    （必填）-style notes, synonyms."""
    if cell is None or not isinstance(cell, str):
        return None
    s = unicodedata.normalize("NFKC", cell)
    bare = _INVIS.sub("", s).lower()
    if bare in _KNOWN:
        return _KNOWN[bare]
    s = _INVIS.sub("", _NOTE.sub("", s)).lower()
    return _KNOWN.get(s)


@dataclass
class Table:
    sheet: SheetData
    header_rows: list[int]
    columns: dict[str, list[int]]  # field -> column indexes, first one preferred
    labels: dict[int, str]  # column -> header text as written (joined for two-row headers)
    unknown: list[str]  # header texts that name no field
    first: int  # first data row
    last: int  # last row holding anything


def _fill_merged(sheet: SheetData, r: int) -> list[Any]:
    """Row r with each horizontally merged cell's value spread over its columns."""
    row = list(sheet.rows[r]) if r < len(sheet.rows) else []
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 <= r <= r1 and c0 < len(sheet.rows[r0]):
            v = sheet.rows[r0][c0]
            while len(row) <= c1:
                row.append("")
            for c in range(c0, c1 + 1):
                if is_blank(row[c]):
                    row[c] = v
    return row


def _fields_of(row: list[Any]) -> dict[int, str]:
    return {c: f for c, v in enumerate(row) if (f := header_field(v))}


def find_table(sheet: SheetData) -> Table | None:
    """The header: the row (or two rows, with merged group cells above) naming most fields."""
    best: tuple[int, list[int], dict[int, str]] | None = None
    for r in range(min(len(sheet.rows), 40)):
        row = _fill_merged(sheet, r)
        found = _fields_of(row)
        cand = (len(set(found.values())), [r], found)
        if r + 1 < len(sheet.rows):
            below = _fill_merged(sheet, r + 1)
            joined = {}
            for c in range(max(len(row), len(below))):
                up = row[c] if c < len(row) else ""
                lo = below[c] if c < len(below) else ""
                f = (header_field(lo) or header_field(f"{up}{lo}")) if not is_blank(lo) else header_field(up)
                if f:
                    joined[c] = f
            alone = len(set(_fields_of(below).values()))
            if len(set(joined.values())) > max(cand[0], alone) and not _looks_like_data(below):
                cand = (len(set(joined.values())), [r, r + 1], joined)
        if cand[0] >= 3 and (best is None or cand[0] > len(set(best[2].values()))):
            best = (cand[0], cand[1], cand[2])
    if best is None:
        return None
    _, header_rows, found = best
    r = header_rows[-1]
    if len(header_rows) == 1 and r + 1 < len(sheet.rows):
        # a sub-header row below (手机 under 联系方式, or cells merged down over both rows)
        below = sheet.rows[r + 1]
        filled = [v for v in below if not is_blank(v)]
        merged_down = any(r0 == r and r1 == r + 1 for (r0, _), (r1, _) in sheet.merged)
        if (filled and all(header_field(v) for v in filled)) or (merged_down and not _looks_like_data(below)):
            header_rows = [r, r + 1]
            for c, v in enumerate(below):
                if (f := header_field(v)) is not None:
                    found[c] = f
    columns: dict[str, list[int]] = {}
    for c in sorted(found):
        columns.setdefault(found[c], []).append(c)
    labels, unknown = {}, []
    rows = [_fill_merged(sheet, r) for r in header_rows]
    width = max(len(x) for x in rows)
    for c in range(width):
        parts = []
        for x in rows:
            v = x[c] if c < len(x) else ""
            if not is_blank(v) and str(v).strip() not in parts:
                parts.append(str(v).strip())
        label = " / ".join(parts)
        if label:
            labels[c] = label
            if c not in found:
                unknown.append(label)
    last = len(sheet.rows) - 1
    while last > header_rows[-1] and all(is_blank(v) for v in sheet.rows[last]):
        last -= 1
    return Table(sheet, header_rows, columns, labels, unknown, header_rows[-1] + 1, last)


_FILLED = re.compile(r"填[报表写](?:日期|时间)\s*[：:]?\s*(\d{4}\s*[年.\-/]\s*\d{1,2}\s*[月.\-/]\s*\d{1,2}\s*[日号]?)?")


def filled_date(table: Table) -> dt.date | None:
    """The 填报日期 of a title row above the header ("填报日期：2014年6月20日", or the date in the
    cell after a "填报日期" cell), if the unit wrote one."""
    for row in table.sheet.rows[: table.header_rows[0]]:
        for c, v in enumerate(row):
            if type(v) is not str or "填" not in v or not (m := _FILLED.search(v)):
                continue
            if m.group(1):
                return full_date(m.group(1))
            after = [x for x in row[c + 1:] if not is_blank(x)]
            if after and (d := full_date(after[0])) is not None:
                return d
    return None


def _looks_like_data(row: list[Any]) -> bool:
    """A row of a person rather than a second header row: a number first, or an ID-like value."""
    values = [v for v in row if not is_blank(v)]
    if not values:
        return False
    if isinstance(values[0], (int, float)) and not isinstance(values[0], bool):
        return True
    return any(isinstance(v, str) and re.fullmatch(r"\s*\d{15,18}[\dXx]?\s*", v) for v in values)
