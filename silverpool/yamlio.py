"""Reading YAML safely and writing it in the one canonical form.

The emitter is our own (the data only holds mappings, lists, strings, numbers, booleans and
dates) so that the form is fixed: block style, two-space indent, keys in model order, and every
string that any YAML reader (1.1 or 1.2) could take for something else is double-quoted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

try:  # the C parser is several times faster; fall back where libyaml is absent
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]
from yaml.constructor import ConstructorError, SafeConstructor

MAX_FILE_BYTES = 512 * 1024  # a person's record is ~1 KB; anything this big is not ours


class YamlError(Exception):
    """A file that cannot be read as YAML; the message is Chinese and names the line."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


class _Loader(_BaseLoader):
    """The safe loader, stricter: no duplicate keys (the second would silently win), and
    impossible dates reported with their line instead of crashing."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = key_node.value
            if key in seen:
                raise ConstructorError(None, None, f"字段 {key} 出现了两次（第 {seen[key]} 行和第 {key_node.start_mark.line + 1} 行），请只保留一个", key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            raise ConstructorError(None, None, f"日期 {node.value} 不存在，请改正", node.start_mark) from None


class _AnchorLoader(_Loader):
    """For texts with an `&`: no aliases of collections (a 1 KB alias bomb expands to
    millions of items). Only these pay for the check, our own files never hold an anchor."""

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects and not isinstance(node, yaml.ScalarNode):
            raise ConstructorError(None, None, "不允许使用锚点和别名（& 与 *），请把内容直接写出", node.start_mark)
        return super().construct_object(node, deep)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)

# PyYAML's wording of common mistakes, in the words a maintainer needs
_PROBLEMS = [  # (start of libyaml's / PyYAML's text, what to tell the maintainer)
    ("found character", "含有无法识别的字符（常见原因：用了制表符 Tab 缩进，YAML 只能用空格）"),
    ("mapping values are not allowed", "此处不能出现冒号（值里有冒号时请给整个值加引号）"),
    ("could not find expected ':'", "缺少冒号（应写作 字段: 值）"),
    ("found undefined alias", "不允许使用别名（*）"),
    ("found unexpected end of stream", "文件意外结束（引号或括号没有闭合？）"),
    ("did not find expected ',' or ']'", "方括号 [ ] 没有闭合"),
    ("did not find expected ',' or '}'", "花括号 { } 没有闭合"),
    ("did not find expected key", "缩进不一致，或列表项缺少“- ”"),
    ("expected <block end>", "缩进不一致"),
    ("did not find expected", "缩进或括号不一致"),
    ("found unexpected ':'", "此处不能出现冒号"),
    ("but found another document", "文件里有多个 YAML 文档（---），只能有一个"),
    ("expected a single document", "文件里有多个 YAML 文档（---），只能有一个"),
    ("found a tab character", "含有制表符（Tab）：YAML 只能用空格缩进"),
]


def _problem_text(problem: str) -> str:
    for english, chinese in _PROBLEMS:
        if problem.startswith(english):
            return chinese
    return problem


def load_text(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_AnchorLoader if "&" in text else _Loader)  # noqa: S506 - safe loaders
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        where = f"第 {line} 行" if line else ""
        if isinstance(e, ConstructorError):  # our own Chinese messages
            raise YamlError(f"{where}：{e.problem}" if where else str(e.problem), line) from None
        raise YamlError(f"YAML 语法错误{where}：{_problem_text(str(e.problem or e))}；请检查缩进、冒号和引号", line) from None
    except yaml.YAMLError as e:
        raise YamlError(f"YAML 无法解析：{_problem_text(str(e))}") from None


def read_file(path: Path) -> tuple[str, Any]:
    """Return (text, parsed data) of a YAML file, refusing oversized or non-UTF-8 files."""
    st = os.lstat(path)  # one call: neither a link nor a device is read
    if not stat.S_ISREG(st.st_mode):
        raise YamlError("不是普通文件（符号链接、目录或设备）：数据目录只放普通的 .yaml 文件")
    size = st.st_size
    if size > MAX_FILE_BYTES:
        raise YamlError(f"文件过大（{size} 字节，上限 {MAX_FILE_BYTES}），不像一条记录，请检查")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise YamlError(f"不是 UTF-8 编码（第 {e.start + 1} 个字节起；可能是 GBK），请用 UTF-8 另存") from None
    return text, load_text(text)


# --- the canonical emitter -------------------------------------------------------------------

# Words that YAML 1.1 reads as booleans or null.
_SPECIAL_WORDS = {
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "",
    ".nan", ".inf", "-.inf", "+.inf", "<<", "=",
}
# Anything starting like a number, a date or a time, or a sexagesimal: quote it.
_NUMBERISH = re.compile(r"^[-+.]?(\d|\.\d)|^0[xob]", re.IGNORECASE)
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
# characters YAML does not allow raw (outside its printable set) or reads as line breaks / BOM
_NOT_PLAIN = "\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff"
_UNSAFE_INSIDE = re.compile(rf": |:$| #|[{_NOT_PLAIN}]")
_NOT_LITERAL = re.compile(f"[{_NOT_PLAIN}]")
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _needs_quotes(s: str) -> bool:
    if s.lower() in _SPECIAL_WORDS or s != s.strip() or "\n" in s:
        return True
    if s[0] in _INDICATORS or _NUMBERISH.match(s):
        return True
    return bool(_UNSAFE_INSIDE.search(s))


def _quoted(s: str) -> str:
    # JSON escapes C0 controls; the rest YAML refuses or reads as breaks, so escape them too
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(s, ensure_ascii=False))


def _literal_ok(s: str) -> bool:
    """Multi-line text reads best as a literal block, when it can round-trip exactly."""
    if "\n" not in s or s.endswith("\n") or s.startswith((" ", "\n")) or "\r" in s:
        return False
    if _NOT_LITERAL.search(s.replace("\n", "")):
        return False
    return all(line == line.rstrip() for line in s.split("\n"))


@lru_cache(maxsize=1 << 16, typed=True)  # pools repeat values (汉族, dates, group IDs) a lot
def _scalar(value: Any, indent: str) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        if _literal_ok(value):
            body = "\n".join((indent + "  " + line) if line else "" for line in value.split("\n"))
            return "|-\n" + body
        return _quoted(value) if _needs_quotes(value) else value
    raise TypeError(f"cannot emit {type(value).__name__}")


@lru_cache(maxsize=1 << 16)
def _line(s: str) -> str:
    """A one-line string as a scalar (cached on the string alone: its form needs no indent)."""
    return _quoted(s) if _needs_quotes(s) else s


@lru_cache(maxsize=4096)
def _key(k: str) -> str:
    return _quoted(k) if _needs_quotes(k) else k


_HEADS: dict[tuple[str, Any], str] = {}  # (indent, key) -> "indent key:"; keys are few


def _head(indent: str, k: Any) -> str:
    h = _HEADS.get((indent, k))
    if h is None:
        h = f"{indent}{_key(k)}:"
        if len(_HEADS) < 4096:
            _HEADS[(indent, k)] = h
    return h


_CONTAINERS = (dict, list)


def _emit(value: Any, indent: str, out: list[str]) -> None:
    # runs for every record written (10,000 at a large intake): kept lean, same text as ever
    append = out.append
    if isinstance(value, dict):
        inner = indent + "  "
        for k, v in value.items():
            head = _HEADS.get((indent, k)) or _head(indent, k)
            if isinstance(v, _CONTAINERS):
                if v:
                    append(head)
                    _emit(v, inner, out)
                else:
                    append(head + (" {}" if isinstance(v, dict) else " []"))
            elif type(v) is str and "\n" not in v:  # most values: one line, the same at any indent
                append(f"{head} {_line(v)}")
            elif type(v) is dt.date:
                append(f"{head} {v.isoformat()}")
            else:
                append(f"{head} {_scalar(v, indent)}")
    elif isinstance(value, list):
        inner = indent + "  "
        dash = indent + "- "
        for item in value:
            if isinstance(item, _CONTAINERS):
                if item:
                    first = len(out)
                    _emit(item, inner, out)
                    out[first] = dash + out[first][len(inner):]
                else:
                    append(dash + ("{}" if isinstance(item, dict) else "[]"))
            else:
                append(dash + _scalar(item, inner))
    else:
        append(indent + _scalar(value, indent))


def dump(data: Any) -> str:
    """The canonical text of plain data (dicts keep their insertion order)."""
    if data == {} or data == []:
        return ("{}" if data == {} else "[]") + "\n"
    out: list[str] = []
    _emit(data, "", out)
    return "\n".join(out) + "\n"


def write_all(files: dict[Path, str]) -> None:
    """Write several files all or nothing: every text goes to a temporary file first, and only
    when all are written are they moved into place (a rename is atomic on one file system)."""
    import os
    import tempfile

    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".yaml", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            staged.append((tmp, path))
    except BaseException:
        for tmp, _ in staged:
            os.unlink(tmp)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)
