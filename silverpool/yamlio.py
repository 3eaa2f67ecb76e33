"""Reading YAML safely and writing it in the one canonical form.

The emitter is our own (the data only holds mappings, lists, strings, numbers, booleans and
dates) so that the form is fixed: block style, two-space indent, keys in model order, and every
string that any YAML reader (1.1 or 1.2) could take for something else is double-quoted.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is several times faster; fall back where libyaml is absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 512 * 1024  # a person's record is ~1 KB; anything this big is not ours


class YamlError(Exception):
    """A file that cannot be read as YAML; the message is Chinese and names the line."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def load_text(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        where = f"第 {line} 行" if line else ""
        raise YamlError(f"YAML 语法错误{where}：{e.problem or e}，请检查缩进、冒号和引号", line) from None
    except yaml.YAMLError as e:
        raise YamlError(f"YAML 无法解析：{e}") from None


def read_file(path: Path) -> tuple[str, Any]:
    """Return (text, parsed data) of a YAML file, refusing oversized or non-UTF-8 files."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise YamlError(f"文件过大（{size} 字节，上限 {MAX_FILE_BYTES}），不像一条记录，请检查")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise YamlError(f"不是 UTF-8 编码（第 {e.start} 字节），请另存为 UTF-8") from None
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


@lru_cache(maxsize=4096)
def _key(k: str) -> str:
    return _quoted(k) if _needs_quotes(k) else k


def _emit(value: Any, indent: str, out: list[str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, dict) and v:
                out.append(f"{indent}{_key(k)}:")
                _emit(v, indent + "  ", out)
            elif isinstance(v, list) and v:
                out.append(f"{indent}{_key(k)}:")
                _emit(v, indent + "  ", out)
            elif isinstance(v, (dict, list)):
                out.append(f"{indent}{_key(k)}: {'{}' if isinstance(v, dict) else '[]'}")
            else:
                out.append(f"{indent}{_key(k)}: {_scalar(v, indent)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                sub: list[str] = []
                _emit(item, indent + "  ", sub)
                sub[0] = indent + "- " + sub[0][len(indent) + 2 :]
                out.extend(sub)
            elif isinstance(item, list) and item:
                sub = []
                _emit(item, indent + "  ", sub)
                sub[0] = indent + "- " + sub[0][len(indent) + 2 :]
                out.extend(sub)
            else:
                out.append(f"{indent}- {_scalar(item, indent + '  ') if not isinstance(item, (dict, list)) else ('{}' if isinstance(item, dict) else '[]')}")
    else:
        out.append(indent + _scalar(value, indent))


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
