"""What an intake tells people: the pull-request body (Markdown, for the maintainer) and the
return file (the unit's own table with a 处理结果 column).

The PR body never holds a full ID number (masked as 3301**********123X). The return file does —
it is the unit's table — so it goes to the ignored build/ folder and is never committed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from .match import OUTCOME_NAMES, OUTCOMES, RowResult
from .reader import Table, Workbook, col_letter

LIST_LIMIT = 300  # people listed by name in the PR body; GitHub caps a body at 65,536 characters


@dataclass
class FileResult:
    path: Path
    workbook: Workbook
    tables: list[Table]
    results: list[RowResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    filled_on: dt.date | None = None  # 填报日期 written above the table

    @property
    def counts(self) -> Counter:
        return Counter(r.outcome for r in self.results)

    @property
    def rows(self) -> int:
        return sum(t.last - t.first + 1 for t in self.tables)


def accounting(fr: FileResult) -> str:
    c = fr.counts
    parts = " + ".join(f"{OUTCOME_NAMES[o]} {c[o]}" for o in OUTCOMES)
    total = sum(c.values())
    ok = "相符" if total == fr.rows else f"不符（差 {fr.rows - total} 行，请报告此问题）"
    return f"表头以下共 {fr.rows} 行 = {parts}（合计 {total}，{ok}）"


def _md(text: Any) -> str:
    """Cell text inside a Markdown table: data, never markup."""
    s = str(text if text is not None else "")
    s = s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ")
    s = re.sub(r"([<>*_`\[\]#!~])", r"\\\1", s)
    return s


def pr_title(unit, day: dt.date, files: list[FileResult]) -> str:
    c = sum((f.counts for f in files), Counter())
    return f"入库：{unit.name} {day}（新增 {c['new']} 人，更新 {c['update']} 人）"


def pr_body(unit, day: dt.date, files: list[FileResult], branch: str | None, group_name) -> str:
    total = sum((f.counts for f in files), Counter())
    out = [f"## {unit.name}（{unit.id}）报送，入库日期 {day}", ""]
    out.append("| 文件 | 行数 | " + " | ".join(OUTCOME_NAMES[o] for o in OUTCOMES) + " |")
    out.append("|---|---:|" + "---:|" * len(OUTCOMES))
    for f in files:
        c = f.counts
        out.append(f"| {_md(f.path.name)} | {f.rows} | " + " | ".join(str(c[o]) for o in OUTCOMES) + " |")
    out.append("")
    for f in files:
        filled = f"（填报日期 {f.filled_on}）" if f.filled_on else ""
        out.append(f"- {_md(f.path.name)}{filled}：{accounting(f)}")
        for n in f.notes:
            out.append(f"  - {_md(n)}")
    out.append("")
    out.append("本次提交只含 data/talents/ 下新增或更改的人员文件；完整身份证号不入库（只存指纹），下文身份证号均已遮盖。")
    out.append("")
    results = [r for f in files for r in f.results]

    def section(title: str, rows: list[RowResult], render, limit: int | None = None) -> None:
        if not rows:
            return
        out.extend([f"### {title}（{len(rows)}）", ""])
        shown = rows if limit is None else rows[:limit]
        out.extend(render(shown))
        if len(shown) < len(rows):
            out.append(f"\n……其余 {len(rows) - len(shown)} 行见提交的文件和退回表。")
        out.append("")

    def new_rows(rows):
        lines = ["| 行 | 姓名 | 编号 | 性别 | 出生年月 | 选报小组 | 身份证号 |", "|---|---|---|---|---|---|---|"]
        for r in rows:
            t = r.record
            groups = "、".join(group_name(g) for g in t.groups_chosen)
            lines.append(f"| {_md(r.where)} | {_md(t.name)} | {t.id} | {t.gender} | {t.birth} | {_md(groups)} | {r.masked_id} |")
        return lines

    def update_rows(rows):
        lines = []
        for r in rows:
            t = r.record
            lines.append(f"- **{_md(t.name)}**（{t.id}，{_md(r.where)}）")
            for label, old, new in r.changes:
                lines.append(f"  - {label}：{_md(old)} → {_md(new)}")
        return lines

    def reason_rows(rows):
        lines = ["| 行 | 姓名 | 身份证号 | 说明 |", "|---|---|---|---|"]
        for r in rows:
            lines.append(f"| {_md(r.where)} | {_md(r.name or '')} | {r.masked_id or ''} | {_md(r.reason)} |")
        return lines

    def unchanged_rows(rows):
        return ["、".join(f"{_md(r.where)} {_md(r.name)}（{r.talent_id}）" for r in rows)]

    section("新增人员", [r for r in results if r.outcome == "new"], new_rows, LIST_LIMIT)
    section("更新（逐项列出改动）", [r for r in results if r.outcome == "update"], update_rows, LIST_LIMIT)
    section("待核实：请维护人员决定（未写入）", [r for r in results if r.outcome == "suspect"], reason_rows)
    section("退回单位（未写入）", [r for r in results if r.outcome == "rejected"], reason_rows)
    section("表内重复（未重复写入）", [r for r in results if r.outcome == "repeat"], reason_rows)
    section("无变化", [r for r in results if r.outcome == "unchanged"], unchanged_rows, LIST_LIMIT)
    section("跳过", [r for r in results if r.outcome == "skipped" and r.reason != "空行"], reason_rows)
    warned = [r for r in results if r.warnings and r.outcome in ("new", "update", "unchanged")]
    section("录入时的提示", warned, lambda rows: [f"- {_md(r.where)} {_md(r.name or '')}：{_md('；'.join(r.warnings))}" for r in rows], LIST_LIMIT)
    out.append("### 审核要点")
    out.append("")
    out.append("- [ ] 新增和更新的人员与纸质《基本信息表》（本人签字）一致")
    out.append("- [ ] 待核实的行已逐一决定（同一人：改正单位表格后重新报送；确是两人：手工建档并在 data/reference/distinct.yaml 登记）")
    out.append("- [ ] 退回表已发回单位")
    out.append("- [ ] CI（silverpool check）通过")
    if branch:
        out.append("")
        out.append(f"分支：`{branch}`。合计：新增 {total['new']}、更新 {total['update']}、无变化 {total['unchanged']}、"
                   f"表内重复 {total['repeat']}、待核实 {total['suspect']}、退回 {total['rejected']}、跳过 {total['skipped']}。")
    return "\n".join(out) + "\n"


# --- the return file --------------------------------------------------------------------------

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def result_text(r: RowResult) -> str:
    if r.outcome == "new":
        text = f"已入库（新增，编号 {r.talent_id}）"
    elif r.outcome == "update":
        text = f"已更新（编号 {r.talent_id}）：" + "、".join(label for label, _, _ in r.changes)
    elif r.outcome == "unchanged":
        text = f"已在库中，信息无变化（编号 {r.talent_id}）"
    elif r.outcome == "repeat":
        text = f"重复：{r.reason}"
    elif r.outcome == "suspect":
        text = f"待核实：{r.reason}"
    elif r.outcome == "rejected":
        text = f"未入库，请改正后重新报送：{r.reason}"
    else:
        text = "" if r.reason == "空行" else f"跳过：{r.reason}"
    if r.warnings and r.outcome in ("new", "update", "unchanged"):
        text += "。提示：" + "；".join(r.warnings)
    return text


# cell styles of the return file (cellXfs in styles.xml)
_BOLD, _RED, _YEAR_MONTH, _DATE, _DATETIME, _TEXT = 1, 2, 3, 4, 5, 6
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 0 of the 1900 date system (valid from 1900-03-01)
_FIRST_SERIAL_DAY = dt.date(1900, 3, 1)
_FORMULA_START = frozenset("=+-@")


def _text_xml(ref: str, text: str, style: int = 0) -> str:
    """Always a string cell: a value like =HYPERLINK(...) stays text, never a formula (and is
    marked as text, so Excel keeps it text when the cell is edited)."""
    if not style and text[0] in _FORMULA_START:
        style = _TEXT
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{s}><is><t xml:space="preserve">{_esc(text)}</t></is></c>'


def _cell_xml(ref: str, value: Any, style: int = 0, month: bool = False) -> str:
    """A cell as the unit sent it: numbers stay numbers (whole ones without a .0, long ones such
    as phones as text so Excel shows every digit), dates stay dates, text stays text."""
    s = f' s="{style}"' if style else ""
    kind = type(value)
    if kind is float or kind is int:  # the common case first
        if -1e15 < value < 1e15:  # false for nan and inf
            if value == int(value):
                value = int(value)
                if -10**9 < value < 10**9:
                    return f'<c r="{ref}"{s}><v>{value}</v></c>'
                return _text_xml(ref, str(value), style or _TEXT)  # 10 digits and more: Excel would show 1.39571E+10
            return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
        if math.isfinite(value):
            return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
        return _text_xml(ref, str(value), style)
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>' if style else ""
    if kind is bool:
        return f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime):
        day = value.date()
        if day >= _FIRST_SERIAL_DAY:
            seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
            if seconds == 0:
                return f'<c r="{ref}" s="{_YEAR_MONTH if month and day.day == 1 else _DATE}"><v>{(day - _EXCEL_EPOCH).days}</v></c>'
            return f'<c r="{ref}" s="{_DATETIME}"><v>{(day - _EXCEL_EPOCH).days + seconds / 86400!r}</v></c>'
        value = value.isoformat(sep=" ")
    elif isinstance(value, dt.date):
        if value >= _FIRST_SERIAL_DAY:
            # a month field (出生年月) typed as a date is shown as the month it means
            return f'<c r="{ref}" s="{_YEAR_MONTH if month and value.day == 1 else _DATE}"><v>{(value - _EXCEL_EPOCH).days}</v></c>'
        value = value.isoformat()
    text = str(value)
    return _text_xml(ref, text, style) if text else ""


def write_return_file(path: Path, fr: FileResult) -> None:
    """The unit's table as read (title rows, header, every row) plus a 处理结果 column."""
    by_row = {(r.sheet, r.row - 1): r for r in fr.results}
    sheets_xml = []
    for t in fr.tables:
        width = max((len(x) for x in t.sheet.rows[: t.last + 1]), default=0)
        letters = [col_letter(c) for c in range(width + 1)]
        out_col = width
        month_cols = {c for f in ("出生年月", "离退休时间") for c in t.columns.get(f, ())}
        rows_xml = []
        for i in range(t.last + 1):
            row = t.sheet.rows[i]
            n = str(i + 1)
            head = i in t.header_rows
            parts = []
            for c, v in enumerate(row):
                if type(v) is str and not head:
                    if v:
                        if v[0] in _FORMULA_START:
                            parts.append(_text_xml(letters[c] + n, v))
                        else:  # the common case, inlined
                            parts.append(f'<c r="{letters[c]}{n}" t="inlineStr"><is><t xml:space="preserve">{_esc(v)}</t></is></c>')
                else:
                    parts.append(_cell_xml(letters[c] + n, v, _BOLD if head else 0, c in month_cols))
            if i == t.header_rows[-1]:
                parts.append(_text_xml(letters[out_col] + n, "处理结果", _BOLD))
            elif (r := by_row.get((t.sheet.name, i))) is not None and (text := result_text(r)):
                parts.append(_text_xml(letters[out_col] + n, text, _RED if r.outcome in ("rejected", "suspect", "repeat") else 0))
            body = "".join(parts)
            if body:
                rows_xml.append(f'<row r="{n}">{body}</row>')
        cols = f'<cols><col min="{out_col + 1}" max="{out_col + 1}" width="60" customWidth="1"/></cols>'
        sheets_xml.append((t.sheet.name, (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{t.header_rows[-1] + 1}" topLeftCell="A{t.header_rows[-1] + 2}" state="frozen"/></sheetView></sheetViews>'
            f'{cols}<sheetData>{"".join(rows_xml)}</sheetData></worksheet>')))
    _write_xlsx(path, sheets_xml)


_NEEDS_ESC = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _esc(text: str) -> str:
    if not _NEEDS_ESC.search(text):  # most cells: nothing to drop or escape
        return text
    return escape(_ILLEGAL.sub("", text))


def _write_xlsx(path: Path, sheets: list[tuple[str, str]]) -> None:
    names, used = [], set()
    for name, _ in sheets:
        n = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "Sheet"
        while n in used:
            n = n[:28] + f"_{len(used)}"
        used.add(n)
        names.append(n)
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
          + "".join(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(len(sheets)))
          + "</Types>")
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>')
    wb = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
          + "".join(f'<sheet name="{escape(n, {chr(34): "&quot;"})}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names))
          + "</sheets></workbook>")
    wb_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               + "".join(f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(sheets)))
               + f'<Relationship Id="rId{len(sheets) + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
               "</Relationships>")
    styles = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/>'
              '<numFmt numFmtId="165" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
              '<numFmt numFmtId="166" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot; hh:mm"/></numFmts>'
              '<fonts count="3"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font>'
              '<font><sz val="11"/><color rgb="FFC00000"/><name val="宋体"/></font></fonts>'
              '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
              '<borders count="1"><border/></borders>'
              '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
              '<cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
              '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
              '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
              '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
              '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
              '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
              '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" quotePrefix="1"/></cellXfs>'
              '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
              '</styleSheet>')
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", wb_rels)
        z.writestr("xl/styles.xml", styles)
        for i, (_, xml) in enumerate(sheets):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", xml)
    tmp.replace(path)
