"""Problems found in the data, and their Chinese wording."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    loc: str  # field path, e.g. groups[1].since; empty for the whole file
    message: str
    line: int | None = None

    def text(self) -> str:
        where = f"{self.file}: {self.loc}" if self.loc else self.file
        return f"{where}: {self.message}"

    def github(self) -> str:
        """A GitHub Actions annotation; file names are escaped too, so none can inject commands."""
        line = f",line={self.line}" if self.line else ""
        msg = _escape((f"{self.loc}: " if self.loc else "") + self.message)
        prop = _escape(self.file).replace(":", "%3A").replace(",", "%2C")
        return f"::error file={prop}{line}::{msg}"


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def loc_text(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_TYPE_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（拼写错误？此类记录没有这个字段），请删除或改正",
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": "应为日期，如 2014-07-15",
    "date_parsing": "应为日期，如 2014-07-15",
    "date_from_datetime_parsing": "应为日期，如 2014-07-15",
    "date_from_datetime_inexact": "应为日期（不带时间），如 2014-07-15",
    "list_type": "应为列表（每项一行，以 - 开头）",
    "dict_type": "应为键值映射",
    "model_type": "应为键值映射",
    "too_short": "至少需要 {min_length} 项",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than_equal": "应不大于 {le}",
}


def _value(v: object) -> str:
    # never repr a container: an alias-expanded input can hold millions of items
    if isinstance(v, dict):
        return "一个键值映射"
    if isinstance(v, (list, tuple)):
        return "一个列表"
    if isinstance(v, bool):
        return "true" if v else "false"
    s = f'"{v}"' if isinstance(v, str) else str(v)
    return s if len(s) <= 60 else s[:57] + "…"


def describe_validation_error(err: ValidationError) -> list[tuple[str, str]]:
    """(field path, Chinese message) for each error pydantic found."""
    out = []
    for e in err.errors(include_url=False):
        loc = loc_text(tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-"))))
        t = e["type"]
        ctx = e.get("ctx") or {}
        if t == "value_error":
            msg = str(ctx.get("error", e["msg"]))
        elif t == "literal_error":
            msg = f"取值 {_value(e.get('input'))} 不在可选范围内（可选：{ctx.get('expected', '')}）"
        elif t == "string_pattern_mismatch":
            msg = f"格式不对：{_value(e.get('input'))}{_PATTERN_HINTS.get(loc.split('.')[-1].split('[')[0], '')}"
        elif t in ("string_too_long",):
            msg = f"太长（上限 {ctx.get('max_length')} 字）"
        elif t in ("string_too_short",):
            msg = "不能为空"
        elif t in _TYPE_MESSAGES:
            msg = _TYPE_MESSAGES[t].format(**ctx)
            if t not in ("missing", "extra_forbidden") and "input" in e:
                msg += f"，现为 {_value(e['input'])}"
        else:
            msg = e["msg"]
        out.append((loc, msg))
    return out


_PATTERN_HINTS = {
    "id": "（人员编号形如 T4K7Q2M，小组编号为小写拼音，活动编号形如 A2014-001，单位编号形如 U001）",
    "talent": "（人员编号形如 T4K7Q2M）",
    "birth": "（出生年月写作 \"1950-03\"，带引号）",
    "retired": "（年月写作 \"2010-05\"，带引号）",
    "phone": "（手机 11 位，座机写作 0571-87654321）",
    "fingerprint": "（指纹由 intake 生成，不要手改）",
    "group": "（小组编号为小写拼音，如 xuanjiang）",
    "groups_chosen": "（小组编号为小写拼音，如 xuanjiang）",
    "unit": "（单位编号形如 U001）",
}
