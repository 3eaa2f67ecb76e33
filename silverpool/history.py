"""The change history of records, read from git: when each file changed and which fields.

Git is read once for the whole tree (one `git log --raw` and one `git cat-file --batch`), so the
site can show every person's history without a git call per page. The author is never shown:
only the date, the commit subject and what changed. Contact details and fingerprints are never
shown as values, only as "已更新".
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import yamlio

# Field labels as the form names them, for every kind of record.
LABELS = {
    "id": "编号", "name": "姓名", "name_variants": "姓名其他写法", "gender": "性别", "birth": "出生年月",
    "ethnicity": "民族", "political": "政治面貌", "education": "文化程度", "fingerprint": "身份证指纹",
    "retirement_kind": "离退休类别", "retired": "离退休时间", "employer": "原工作单位", "post": "原职务",
    "rank": "职级", "title": "专业技术职称", "specialties": "专业特长", "hobbies": "兴趣爱好",
    "fitness": "健康状况", "district": "居住区县", "address": "家庭住址", "phone": "联系电话",
    "groups_chosen": "选报小组", "groups": "所在小组", "availability": "可服务时间", "services": "可提供的服务",
    "consent": "本人确认", "status": "状态", "registered": "入库日期", "withdrawn": "退出日期",
    "withdraw_reason": "退出原因", "source": "来源", "remarks": "备注",
    "description": "简介", "domains": "服务领域", "formed": "成立日期", "leaders": "组长、副组长", "teams": "小分队",
    "date": "日期", "end_date": "结束日期", "team": "小分队", "kind": "活动类别", "service": "服务形式",
    "domain": "领域", "place": "地点", "beneficiary": "服务对象", "served": "服务人数", "participants": "参加人员",
    "verified_by": "核实人", "plan_item": "计划项", "group": "小组", "year": "年度", "submitted": "提交日期",
    "filed": "备案日期", "filed_by": "备案部门", "items": "计划项目", "written": "撰写日期", "text": "总结正文",
    "outstanding": "推荐先进",
}
# Shown only as "已更新/已删除/已添加", never with their values.
SENSITIVE = {"phone", "address", "fingerprint", "withdraw_reason"}

KIND_NAMES = {"A": "新建", "M": "修改", "D": "删除", "T": "修改"}


@dataclass
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass
class Change:
    """One commit's change to one file."""

    commit: str
    date: str  # YYYY-MM-DD, the day the change reached the main line
    subject: str
    kind: str  # 新建 / 修改 / 删除
    path: str  # relative to the repository root
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class Commit:
    sha: str
    date: str
    subject: str
    entries: list[tuple[str, str]] = field(default_factory=list)  # (新建/修改/删除, path)


@dataclass
class History:
    commits: list[Commit] = field(default_factory=list)  # newest first
    by_path: dict[str, list[Change]] = field(default_factory=dict)  # newest first
    available: bool = True  # False when the folder is not a git repository

    def of(self, path: str) -> list[Change]:
        return self.by_path.get(path, [])


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        out = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout


def read_history(root: Path, paths: list[str] | None = None, limit: int | None = None) -> History:
    """The history of every file under data/ (or of the given paths), in one pass over git.

    Follows the first-parent line, so a merged intake counts on the day it was merged."""
    root = Path(root)
    args = ["log", "--first-parent", "--diff-merges=first-parent", "--raw", "--no-renames", "--no-abbrev",
            "--format=@@@%H%x09%cs%x09%s"]
    if limit:
        args.append(f"-n{limit}")
    out = _git(root, *args, "--", *(paths or ["data"]))
    if out is None:
        return History(available=False)
    hist = History()
    pending: list[tuple[Change, str, str]] = []  # modified files whose blobs are needed
    current: Commit | None = None
    for line in out.decode("utf-8", "replace").splitlines():
        if line.startswith("@@@"):
            sha, date, subject = (line[3:].split("\t", 2) + ["", ""])[:3]
            current = Commit(sha, date, subject)
            hist.commits.append(current)
        elif line.startswith(":") and current is not None:
            meta, _, path = line.partition("\t")
            parts = meta.split()
            if len(parts) < 5:
                continue
            old_blob, new_blob, status = parts[2], parts[3], parts[4][0]
            kind = KIND_NAMES.get(status, "修改")
            current.entries.append((kind, path))
            change = Change(current.sha, current.date, current.subject, kind, path)
            hist.by_path.setdefault(path, []).append(change)
            if kind == "修改" and path.endswith(".yaml"):
                pending.append((change, old_blob, new_blob))
    if pending:
        blobs = _read_blobs(root, {b for _, o, n in pending for b in (o, n)})
        for change, old, new in pending:
            change.fields = diff_fields(_parse(blobs.get(old)), _parse(blobs.get(new)))
    return hist


def _read_blobs(root: Path, shas: set[str]) -> dict[str, bytes]:
    out = _git(root, "cat-file", "--batch", stdin="".join(s + "\n" for s in sorted(shas)).encode())
    blobs: dict[str, bytes] = {}
    pos = 0
    while out is not None and pos < len(out):
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3:  # "<sha> missing"
            continue
        size = int(header[2])
        blobs[header[0].decode()] = out[pos : pos + size]
        pos += size + 1
    return blobs


def _parse(raw: bytes | None) -> dict:
    if raw is None:
        return {}
    try:
        data = yamlio.load_text(raw.decode("utf-8"))
    except (UnicodeDecodeError, yamlio.YamlError):
        return {}
    return data if isinstance(data, dict) else {}


def diff_fields(old: dict, new: dict) -> list[FieldChange]:
    """Top-level fields that differ, in the order the new (else old) file holds them."""
    keys = list(new) + [k for k in old if k not in new]
    return [FieldChange(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


def show_value(value: Any, name_of: Callable[[str], str] = str) -> str:
    """A field value as one short line of text (group IDs through `name_of`)."""
    if value is None or value == "" or value == [] or value == {}:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(show_value(v, name_of) for v in value)
    if isinstance(value, dict):
        if "group" in value and "since" in value:  # a membership
            until = f"至 {value['until']}" if value.get("until") else "起"
            return f"{name_of(str(value['group']))}（{value['since']} {until}）"
        if "signed" in value:
            return ("已签字" if value["signed"] else "未签字") + (f"（{value['date']}）" if value.get("date") else "")
        return "，".join(f"{LABELS.get(str(k), k)} {show_value(v, name_of)}" for k, v in value.items())
    return str(value)


def describe(fc: FieldChange, name_of: Callable[[str], str] = str) -> str:
    """One changed field in words: '状态：待复核 → 已入库', or only '联系电话已更新'."""
    label = LABELS.get(fc.field, fc.field)
    if fc.field in SENSITIVE:
        if fc.new in (None, ""):
            return f"{label}已删除"
        return f"{label}已添加" if fc.old in (None, "") else f"{label}已更新"
    old, new = show_value(fc.old, name_of), show_value(fc.new, name_of)
    if len(old) + len(new) > 160:  # long texts: say that it changed, not the whole text
        return f"{label}已修改"
    return f"{label}：{old} → {new}"


def record_path(root: Path, record_id: str) -> Path | None:
    """The file of a person, group or activity by its ID."""
    data = Path(root) / "data"
    for candidate in (data / "talents" / f"{record_id}.yaml", data / "groups" / f"{record_id}.yaml"):
        if candidate.exists():
            return candidate
    found = sorted((data / "activities").glob(f"*/{record_id}.yaml"))
    return found[0] if found else None
