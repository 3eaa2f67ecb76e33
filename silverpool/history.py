"""The change history of records, read from git: when each file changed and which fields.

Git is read once for the whole tree (one `git log --raw` and one `git cat-file --batch`), so the
site can show every person's history without a git call per page. Staff see only the date, the
kind of change and the fields changed, in Chinese: never the author, never the (English)
commit message. Contact details and fingerprints are never shown as values, only as "已更新".
"""

from __future__ import annotations

import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from . import yamlio

if TYPE_CHECKING:
    from .loader import Pool

# Field labels as the forms name them, one set per kind of record (the same key means different
# things: an activity's `title` is its name, a person's is a professional title).
LABELS: dict[str, dict[str, str]] = {
    "talent": {
        "id": "编号", "name": "姓名", "name_variants": "姓名其他写法", "gender": "性别", "birth": "出生年月",
        "ethnicity": "民族", "political": "政治面貌", "education": "文化程度", "fingerprint": "身份证指纹",
        "retirement_kind": "离退休类别", "retired": "离退休时间", "employer": "原工作单位", "post": "原职务",
        "rank": "职级", "title": "专业技术职称", "specialties": "专业特长", "hobbies": "兴趣爱好",
        "fitness": "健康状况", "district": "居住区县", "address": "家庭住址", "phone": "联系电话",
        "groups_chosen": "选报小组", "groups": "所在小组", "availability": "可服务时间", "services": "可提供的服务",
        "consent": "本人确认", "status": "状态", "registered": "入库日期", "withdrawn": "退出日期",
        "withdraw_reason": "退出原因", "source": "来源", "remarks": "备注",
    },
    "group": {
        "id": "编号", "name": "组名", "order": "排列顺序", "description": "简介", "domains": "服务领域",
        "formed": "成立日期", "leaders": "组长、副组长", "teams": "小分队",
    },
    "activity": {
        "id": "编号", "title": "活动名称", "date": "日期", "end_date": "结束日期", "groups": "小组",
        "team": "小分队", "kind": "活动类别", "service": "服务形式", "domain": "领域", "place": "地点",
        "district": "所在区县", "beneficiary": "服务对象", "served": "服务人次", "participants": "参加人员",
        "verified_by": "核实人", "plan_item": "计划项", "description": "活动说明",
    },
    "plan": {
        "group": "小组", "year": "年度", "submitted": "提交日期", "filed": "备案日期", "filed_by": "备案部门",
        "items": "计划项目",
    },
    "summary": {
        "group": "小组", "year": "年度", "written": "撰写日期", "text": "总结正文", "outstanding": "推荐先进",
    },
}
# Keys inside list items and sub-records (memberships, leaders, teams, plan items, participants, source).
PART_LABELS = {
    "unit": "推荐单位", "batch": "批次", "row": "行号", "role": "职务", "talent": "人员", "since": "起",
    "until": "止", "name": "名称", "focus": "方向", "leader": "队长", "members": "队员", "formed": "成立日期",
    "number": "序号", "month": "月份", "title": "题目", "kind": "类别", "service": "服务形式", "domain": "领域",
    "place": "地点", "beneficiary": "服务对象", "hours": "时长", "date": "日期", "signed": "已签字",
}
KIND_WORDS = {"talent": "人员", "group": "小组", "activity": "活动", "plan": "计划", "summary": "总结"}
# Shown only as "已更新/已删除/已添加", never with their values.
SENSITIVE = {"phone", "address", "fingerprint", "withdraw_reason"}
# Keys whose values are IDs, shown by name.
GROUP_KEYS = {"group", "groups", "groups_chosen"}
TALENT_KEYS = {"talent", "leader", "members", "outstanding"}
UNIT_KEYS = {"unit"}
REFERENCE_NAMES = {"units": "推荐单位名单", "districts": "区县名单", "vocabulary": "选项词表", "phases": "入库阶段",
                   "distinct": "已确认的同名不同人", "recognitions": "表彰记录"}

KIND_NAMES = {"A": "新增", "M": "修改", "D": "删除", "T": "修改"}
LONG = 160  # characters: a longer before/after is summarised instead of shown whole


def record_kind(path: str) -> str | None:
    """talent / group / activity / plan / summary / reference / config for a record file, else None
    (README files and anything outside data/ are not records)."""
    parts = path.split("/")
    if len(parts) < 2 or parts[0] != "data" or not path.endswith(".yaml"):
        return None
    if parts[1] == "pool.yaml":
        return "config"
    return {"talents": "talent", "groups": "group", "activities": "activity", "plans": "plan",
            "summaries": "summary", "reference": "reference"}.get(parts[1])


@dataclass
class Names:
    """How IDs are shown: group, talent and unit IDs as names, where they are known."""

    group: Callable[[str], str] = str
    talent: Callable[[str], str] = str
    unit: Callable[[str], str] = str
    unit_of: Callable[[str], str | None] = lambda tid: None  # a talent's reporting unit (source.unit)

    @classmethod
    def of_pool(cls, pool: Pool) -> Names:
        def talent(tid: str) -> str:
            t = pool.talents.get(tid)
            return t.name if t else tid

        def unit(uid: str) -> str:
            u = pool.units.get(uid)
            return u.name if u else uid

        def unit_of(tid: str) -> str | None:
            t = pool.talents.get(tid)
            return t.source.unit if t and t.source else None

        return cls(pool.group_name, talent, unit, unit_of)

    @classmethod
    def of_files(cls, root: Path) -> Names:
        """Names read from the files on demand: a history needs a few, not the whole pool."""
        data = Path(root) / "data"
        talents: dict[str, dict] = {}

        def record(path: Path) -> dict:
            try:
                value = yamlio.read_file(path)[1]
            except (OSError, yamlio.YamlError):
                return {}
            return value if isinstance(value, dict) else {}

        def talent_record(tid: str) -> dict:
            if tid not in talents:
                talents[tid] = record(data / "talents" / f"{Path(tid).name}.yaml")
            return talents[tid]

        groups = {p.stem: r["name"] for p in sorted((data / "groups").glob("*.yaml"))
                  if isinstance((r := record(p)).get("name"), str)}
        units = {u["id"]: u["name"] for u in record(data / "reference" / "units.yaml").get("units") or []
                 if isinstance(u, dict) and isinstance(u.get("id"), str) and isinstance(u.get("name"), str)}

        def talent(tid: str) -> str:
            name = talent_record(tid).get("name")
            return name if isinstance(name, str) else tid

        def unit_of(tid: str) -> str | None:
            source = talent_record(tid).get("source")
            return source.get("unit") if isinstance(source, dict) else None

        return cls(lambda g: groups.get(g, g), talent, lambda u: units.get(u, u), unit_of)


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
    subject: str  # the developer's commit message: English, never shown to staff
    kind: str  # 新增 / 修改 / 退出 / 删除
    path: str  # relative to the repository root
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def record(self) -> str | None:
        return record_kind(self.path)


@dataclass
class Commit:
    sha: str
    date: str
    subject: str  # never shown to staff; `describe_commit` says what changed instead
    changes: list[Change] = field(default_factory=list)

    @property
    def records(self) -> list[Change]:
        """The changes to pool records (not to README files and the like)."""
        return [c for c in self.changes if c.record]


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
            change = Change(current.sha, current.date, current.subject, KIND_NAMES.get(status, "修改"), path)
            current.changes.append(change)
            hist.by_path.setdefault(path, []).append(change)
            if change.kind == "修改" and path.endswith(".yaml"):
                pending.append((change, old_blob, new_blob))
    if pending:
        blobs = _read_blobs(root, {b for _, o, n in pending for b in (o, n)})
        for change, old, new in pending:
            change.fields = diff_fields(_parse(blobs.get(old)), _parse(blobs.get(new)))
            if change.record == "talent" and any(fc.field == "status" and fc.new == "已退出" for fc in change.fields):
                change.kind = "退出"
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


# --- in words -----------------------------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def show_value(value: Any, key: str = "", names: Names | None = None) -> str:
    """A field value as one short line of text; IDs (by the key that holds them) as names."""
    names = names or Names()
    if _empty(value):
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "、".join(show_value(v, key, names) for v in value)
    if isinstance(value, dict):
        return _show_part(value, names)
    text = str(value)
    if key in GROUP_KEYS:
        return names.group(text)
    if key in TALENT_KEYS:
        return names.talent(text)
    if key in UNIT_KEYS:
        return names.unit(text)
    return text


def _show_part(value: dict, names: Names) -> str:
    """A sub-record (membership, leader, team, plan item, participant, consent) as people say it."""
    v = value.get
    span = f"{v('since')} 至 {v('until')}" if v("until") else f"{v('since')} 起"
    if "group" in value and "since" in value:  # a membership
        return f"{names.group(str(v('group')))}（{span}）"
    if "talent" in value and "role" in value and "since" in value:  # a group leader
        return f"{v('role')} {names.talent(str(v('talent')))}（{span}）"
    if "talent" in value and "hours" in value:  # a participant
        role = f"（{v('role')}）" if v("role") else ""
        return f"{names.talent(str(v('talent')))} {show_value(v('hours'))} 小时{role}"
    if "signed" in value:
        return ("已签字" if v("signed") else "未签字") + (f"（{v('date')}）" if v("date") else "")
    if "number" in value and "title" in value:  # a plan item
        month = f"（{v('month')} 月）" if v("month") else ""
        return f"第 {v('number')} 项{month}{v('title')}"
    if "name" in value and ("members" in value or "leader" in value):  # a team
        bits = [f"队长 {names.talent(str(v('leader')))}" if v("leader") else "", f"队员 {len(v('members') or [])} 人"]
        return f"{v('name')}（{'，'.join(b for b in bits if b)}）"
    return "，".join(f"{PART_LABELS.get(str(k), k)} {show_value(x, str(k), names)}" for k, x in value.items() if not _empty(x))


def label(kind: str | None, key: str) -> str:
    return LABELS.get(kind or "", {}).get(key) or PART_LABELS.get(key) or key


def describe(fc: FieldChange, kind: str | None = "talent", names: Names | None = None) -> str:
    """One changed field in words: '状态：待复核 → 已入库', or only '联系电话已更新'."""
    name = label(kind, fc.field)
    if kind == "talent" and fc.field in SENSITIVE:
        if _empty(fc.new):
            return f"{name}已删除"
        return f"{name}已添加" if _empty(fc.old) else f"{name}已更新"
    old, new = show_value(fc.old, fc.field, names), show_value(fc.new, fc.field, names)
    if len(old) + len(new) <= LONG:
        return f"{name}：{old} → {new}"
    if isinstance(fc.old, list) and isinstance(fc.new, list):  # long lists: what came and went
        added = [x for x in fc.new if x not in fc.old]
        gone = [x for x in fc.old if x not in fc.new]
        text = "；".join(f"{w} {show_value(xs, fc.field, names)}" for w, xs in (("增加", added), ("去掉", gone)) if xs)
        if text and len(text) <= LONG:
            return f"{name}：{text}"
        return f"{name}已修改（" + "，".join(f"{w} {len(xs)} 项" for w, xs in (("增加", added), ("去掉", gone)) if xs) + "）"
    return f"{name}已修改"  # long texts: say that it changed, not the whole text


def describe_change(ch: Change, names: Names | None = None) -> str:
    """A change to one record, for a person's page: its fields, or what happened to the file."""
    if ch.fields:
        return "；".join(describe(fc, ch.record, names) for fc in ch.fields)
    return {"新增": "建立记录", "删除": "记录删除"}.get(ch.kind, "记录修改")


def _ids(ids: list[str], word: str, measure: str, show: Callable[[str], str] = str, most: int = 3) -> str:
    if len(ids) <= most:
        return f"{word} " + "、".join(show(i) for i in ids)
    return f"{word} {len(ids)} {measure}"


def describe_commit(commit: Commit, names: Names | None = None) -> str:
    """A commit in Chinese, from the records it touched (never from its English message), e.g.
    '新增人员 5 名（杭州市财政局报送）；修改人员 2 名；新增活动 A2016-004；修改 医卫组 2016 年计划'.
    Empty when it touched no record."""
    names = names or Names()
    by: dict[tuple[str, str], list[Change]] = {}
    for ch in commit.records:
        by.setdefault((ch.record or "", ch.kind), []).append(ch)
    parts = []
    for kind in ("新增", "修改", "退出", "删除"):
        people = [Path(c.path).stem for c in by.get(("talent", kind), [])]
        if people:
            text = f"{kind}人员 {len(people)} 名"
            if kind == "新增":
                units = Counter(u for u in map(names.unit_of, people) if u)
                if len(units) == 1 and sum(units.values()) == len(people):
                    text += f"（{names.unit(next(iter(units)))}报送）"
                elif units:
                    shown = [f"{names.unit(u)}报送 {n} 名" for u, n in units.most_common(3)]
                    more = f"等 {len(units)} 个单位" if len(units) > 3 else ""
                    text += f"（{'、'.join(shown)}{more}）"
            parts.append(text)
    for kind in ("新增", "修改", "删除"):
        acts = sorted(Path(c.path).stem for c in by.get(("activity", kind), []))
        if acts:
            parts.append(_ids(acts, f"{kind}活动", "项"))
        groups = sorted(Path(c.path).stem for c in by.get(("group", kind), []))
        if groups:
            parts.append(_ids(groups, f"{kind}小组", "个", names.group))
        for record, word in (("plan", "计划"), ("summary", "总结")):
            docs = sorted((c.path.split("/")[2], Path(c.path).stem) for c in by.get((record, kind), []))
            if len(docs) <= 3:
                parts += [f"{kind} {names.group(g)} {y} 年{word}" for y, g in docs]
            else:
                years = "、".join(sorted({y for y, _ in docs}))
                parts.append(f"{kind} {years} 年{word} {len(docs)} 份")
        reference = [REFERENCE_NAMES.get(Path(c.path).stem, Path(c.path).stem) for c in by.get(("reference", kind), [])]
        if reference:
            parts.append(f"{kind}参考数据（" + "、".join(reference) + "）")
        if ("config", kind) in by:
            parts.append(f"{kind}人才库设置")
    return "；".join(parts)


def record_path(root: Path, record_id: str) -> Path | None:
    """The file of a person, group or activity by its ID."""
    data = Path(root) / "data"
    for candidate in (data / "talents" / f"{record_id}.yaml", data / "groups" / f"{record_id}.yaml"):
        if candidate.exists():
            return candidate
    found = sorted((data / "activities").glob(f"*/{record_id}.yaml"))
    return found[0] if found else None
