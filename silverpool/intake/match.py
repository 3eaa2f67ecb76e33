"""Each row of a submission becomes new, update, unchanged, repeat, suspect, rejected or skipped.

People are matched by the keyed fingerprint of their ID number first, then by normalised name,
birth month and gender. The pool is indexed once (a light scan of the canonical YAML files, so a
pool of tens of thousands stays fast); only the people a row matches are read in full.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .. import idcard, yamlio
from ..demo import new_talent_id
from ..loader import Pool
from ..models import TALENT_ALPHABET, Consent, Membership, Source, Talent
from ..problems import describe_validation_error
from ..textnorm import name_key
from . import cells
from .cells import _WS, CellError
from .reader import Table, col_letter

OUTCOMES = ("new", "update", "unchanged", "repeat", "suspect", "rejected", "skipped")
OUTCOME_NAMES = {"new": "新增", "update": "更新", "unchanged": "无变化", "repeat": "表内重复", "suspect": "待核实",
                 "rejected": "退回", "skipped": "跳过"}
LABELS = {
    "name": "姓名", "name_variants": "姓名其他写法", "gender": "性别", "birth": "出生年月", "ethnicity": "民族",
    "political": "政治面貌", "education": "文化程度", "fingerprint": "身份证指纹", "retirement_kind": "离退休类别",
    "retired": "离退休时间", "employer": "原工作单位", "post": "原职务", "rank": "职级", "title": "专业技术职称",
    "specialties": "专业特长", "hobbies": "兴趣爱好", "fitness": "健康状况", "district": "居住区县", "address": "家庭住址",
    "phone": "联系电话", "groups_chosen": "选报小组", "availability": "可服务时间", "services": "可提供的服务",
    "consent": "本人确认", "remarks": "备注",
}
# form fields an update may change (identity, status, registration and memberships are kept)
UPDATABLE = ["gender", "birth", "ethnicity", "political", "education", "fingerprint", "retirement_kind", "retired",
             "employer", "post", "rank", "title", "specialties", "hobbies", "fitness", "district", "address", "phone",
             "groups_chosen", "availability", "services", "remarks"]


# --- the people of the pool -------------------------------------------------------------------

_SCALAR = re.compile(r"^(id|name|gender|birth|fingerprint|status): (.+)$", re.M)
_VARIANTS = re.compile(r"^name_variants:\n((?:  - .*\n)+)", re.M)


def _scalar(raw: str) -> str:
    return json.loads(raw) if raw.startswith('"') else raw


@dataclass
class Person:
    id: str
    file: str  # the path of the record, as text (cheap to send from the scanning process)
    name: str
    gender: str
    birth: str
    fingerprint: str | None
    status: str
    variants: list[str]

    @property
    def path(self) -> Path:
        return Path(self.file)


def _read_bytes(path: str) -> bytes:
    """A whole small file with plain system calls (several times cheaper than open())."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def _scan(path: str) -> tuple | None:
    """The fields of Person, read from one talent file; None when it cannot be read."""
    try:
        text = _read_bytes(path).decode("utf-8")
        found = {k: _scalar(v) for k, v in _SCALAR.findall(text)}
        m = _VARIANTS.search(text) if "name_variants:" in text else None
        variants = [_scalar(x[4:]) for x in m.group(1).splitlines()] if m else []
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not all(k in found for k in ("id", "name", "gender", "birth", "status")):
        try:  # not in canonical form: read it properly
            data = yamlio.read_file(Path(path))[1]
            t = Talent.model_validate(data)
        except (yamlio.YamlError, ValidationError, OSError):
            return None
        return (t.id, path, t.name, t.gender, t.birth, t.fingerprint, t.status, list(t.name_variants))
    return (found["id"], path, found["name"], found["gender"], found["birth"], found.get("fingerprint"),
            found["status"], variants)


def scan_people(folder: Path) -> tuple[list[tuple], dict[str, str], dict[tuple[str, str, str], list[str]], list[str]]:
    """Every talent file of a folder, in file-name order: the people (as tuples of Person's
    fields), the fingerprint and person indexes, and the unreadable files. Plain data, so it can
    run in another process (see `in_background`) and be sent back cheaply."""
    people: list[tuple] = []
    by_fp: dict[str, str] = {}
    by_person: dict[tuple[str, str, str], list[str]] = {}
    unreadable: list[str] = []
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".yaml"))
    except OSError:
        names = []
    base = str(folder)
    for n in names:
        path = os.path.join(base, n)
        p = _scan(path)
        if p is None:
            unreadable.append(path)
            continue
        people.append(p)
        tid, _, name, gender, birth, fp, _, variants = p
        if fp:
            by_fp.setdefault(fp, tid)
        for k in {name_key(name), *(name_key(v) for v in variants)}:
            by_person.setdefault((k, birth, gender), []).append(tid)
    return people, by_fp, by_person, unreadable


class PeopleIndex:
    """Who is in the pool, by fingerprint and by (name key, birth month, gender). `scanned` is
    what `scan_people` returned (perhaps in another process); without it the folder is scanned."""

    def __init__(self, pool: Pool, scanned=None):
        self.pool = pool
        people, self.by_fp, by_person, unreadable = scanned or scan_people(pool.data_dir / "talents")
        self.people: dict[str, Person] = {}
        for p in people:
            self.people[p[0]] = Person(*p)
        self.by_person: dict[tuple[str, str, str], list[str]] = defaultdict(list, by_person)
        self.unreadable: list[str] = [pool.rel(Path(u)) for u in unreadable]
        self._full: dict[str, Talent] = {}

    def talent(self, tid: str) -> Talent:
        """The full record, read and validated like the loader does."""
        if tid not in self._full:
            p = self.people[tid]
            self._full[tid] = Talent.model_validate(yamlio.read_file(p.path)[1])
        return self._full[tid]

    def same_name(self, tid: str, key: str) -> bool:
        p = self.people[tid]
        return key == name_key(p.name) or key in {name_key(v) for v in p.variants}


# --- one row ----------------------------------------------------------------------------------


@dataclass
class RowResult:
    sheet: str
    row: int  # spreadsheet row number, 1-based
    seq: str | None  # 序号 as written
    outcome: str = "rejected"
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    name: str | None = None
    masked_id: str | None = None
    talent_id: str | None = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, old, new
    record: Talent | None = None  # what to write (new and update)

    @property
    def where(self) -> str:
        return f"序号 {self.seq}（第 {self.row} 行）" if self.seq else f"第 {self.row} 行"


def _secret_id(taken: set[str]) -> str:
    """A random talent ID from the OS's random source: never derived from personal data."""
    while True:  # 256 is a multiple of 32, so `b & 31` is uniform
        tid = "T" + "".join(TALENT_ALPHABET[b & 31] for b in secrets.token_bytes(6))
        if tid not in taken:
            taken.add(tid)
            return tid


_HAN = re.compile(r"[\u3400-\u9fff]")
_CITY_PREFIX = re.compile(r"^(浙江省)?(杭州市?)?")
_EXAMPLE = re.compile(r"^(例|示例|样例|范例|举例|填写示例|填表示例|例子)\b|示例|样例")
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff])\s+(?=[\u3400-\u9fff\uf900-\ufaff])")


def _show(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "（空）"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, Consent):
        return ("已签" if value.signed else "未签") + (f" {value.date}" if value.date else "")
    return str(value)


def _renamed(old, new) -> str:
    """「下城区」已于 2021-04-09 并入「拱墅区」: the day the old name ended, and whether the
    successor already existed (a merger) or began that day (a new name)."""
    since = old.valid_until + dt.timedelta(days=1) if old.valid_until else new.valid_from
    verb = "改为" if new.valid_from and since and new.valid_from >= since else "并入"
    return f"「{old.name}」已于 {since} {verb}「{new.name}」" if since else f"「{old.name}」已{verb}「{new.name}」"


class Matcher:
    """Processes the rows of one intake run (one or more files of one unit) in two steps: `read`
    turns a row into a form (needs no pool index, so it can run while the pool is scanned), then
    `match` decides its outcome against the index, row by row in table order."""

    def __init__(self, pool: Pool, index: PeopleIndex | None, key: bytes, unit, day: dt.date, rng=None):
        self.pool, self.key, self.unit, self.day = pool, key, unit, day
        self.rng = rng  # tests pass a seeded one; real runs draw from the OS (secrets)
        if index is not None:
            self.use(index)
        self.seen_fp: dict[str, RowResult] = {}
        self.seen_person: dict[tuple[str, str, str], tuple[RowResult, str]] = {}
        v = pool.vocab
        self.syn = v.synonyms if v else {}
        self.fitness = [f.level for f in v.fitness] if v else []
        self.group_of: dict[str, str] = {}
        for g in pool.groups.values():
            for alias in (g.id, g.name, g.name.removesuffix("组"), g.name.removesuffix("小组")):
                self.group_of[alias.lower()] = g.id
        self.touched: dict[str, RowResult] = {}  # talent id -> the row that changed it

    def use(self, index: PeopleIndex) -> None:
        self.index = index
        self.taken = set(index.people)

    def process(self, table: Table, r: int, date1904: bool) -> RowResult:
        res, form = self.read(table, r, date1904)
        return res if form is None else self.match(res, form)

    # -- reading the cells
    def read(self, table: Table, r: int, date1904: bool) -> tuple[RowResult, dict[str, Any] | None]:
        """The row's form, or its final result (skipped, rejected) and None."""
        row = table.sheet.rows[r]
        width = len(row)
        vals: dict[str, Any] = {}
        for fld, cols in table.columns.items():  # the first non-blank of the columns naming a field
            for c in cols:
                if c < width:
                    v = row[c]
                    if v is None or v == "" or (isinstance(v, str) and not v.strip(_WS)):  # cells.is_blank, inlined
                        continue
                    vals[fld] = v
                    break
        res = RowResult(table.sheet.name, r + 1, cells.text(vals.get("序号")))
        if not vals and all(cells.is_blank(v) for v in row):
            res.outcome, res.reason = "skipped", "空行"
            return res, None
        if r in table.sheet.hidden_rows:
            res.outcome, res.reason = "skipped", "隐藏行（表中被隐藏的行不作为人员录入；如需录入请取消隐藏）"
            return res, None
        name_raw = cells.text(vals.get("姓名")) or ""
        if (res.seq and _EXAMPLE.search(res.seq)) or _EXAMPLE.search(name_raw):
            res.outcome, res.reason = "skipped", "示例行"
            return res, None
        res.name = name_raw or None
        if (raw_id := vals.get("身份证号")) is not None:
            res.masked_id = cells.mask_id(cells.compact(raw_id).upper())
        if table.sheet.formulas:
            for fld, cols in table.columns.items():
                for c in cols:
                    if (r, c) in table.sheet.formulas:
                        return self._reject(res, f"{table.labels.get(c, fld)}（{col_letter(c)} 列）是公式且没有计算结果：请在 Excel 中重新计算并保存，或直接填写数值"), None
        try:
            return res, self._form(vals.get, res, date1904)
        except CellError as e:
            return self._reject(res, str(e)), None

    def _reject(self, res: RowResult, reason: str) -> RowResult:
        res.outcome, res.reason = "rejected", reason
        return res

    def _form(self, get, res: RowResult, date1904: bool) -> dict[str, Any]:
        warn = res.warnings.append
        name = cells.text(get("姓名"))
        if not name:
            raise CellError("姓名未填")
        name = _CJK_SPACE.sub("", name) if _HAN.search(name) else name
        if len(name) > 40:
            raise CellError("姓名过长（超过 40 字），请核对")
        raw_id = get("身份证号")
        if raw_id is None:
            raise CellError("身份证号未填")
        try:
            info = idcard.parse(cells.id_text(raw_id))
        except idcard.IdError as e:
            raise CellError(str(e)) from None
        res.masked_id = cells.mask_id(info.number18)
        if info.from15:
            warn("15 位老身份证号，已按规则换算为 18 位核对")
        id_month = (info.birth.year, info.birth.month)
        b = get("出生年月")
        if b is None:
            birth = id_month
            warn(f"出生年月未填，已按身份证号取 {cells.month_text(birth)}")
        else:
            try:
                candidates = cells.months(b, date1904)
            except CellError as e:
                raise CellError(f"出生年月：{e}") from None
            if id_month not in candidates:
                raise CellError(f"出生年月（表中为 {cells.month_text(candidates[0])}）与身份证号（{cells.month_text(id_month)}）不符，请核对原件")
            birth = id_month
        g = get("性别")
        if g is None:
            gender = info.gender
            warn(f"性别未填，已按身份证号取「{gender}」")
        else:
            gender = cells.gender(g)
            if gender != info.gender:
                raise CellError(f"性别（表中为{gender}）与身份证号（{info.gender}）不符，请核对原件")
        signed, signed_on = cells.consent(get("本人确认"), date1904)
        if not signed:
            raise CellError("本人确认未填" if get("本人确认") is None else "本人未确认（本人确认为“否”）：未经本人同意不能入库")
        fitness = self._fitness(get("健康状况"))
        groups = []
        for token in cells.split_groups(get("选报小组")):
            gid = self.group_of.get(token.lower())
            if gid is None:
                names = "、".join(x.name for x in self.pool.groups.values())
                raise CellError(f"选报小组「{token}」不是人才库的小组（可选：{names}）")
            if gid not in groups:
                groups.append(gid)
        form: dict[str, Any] = {
            "name": name, "gender": gender, "birth": cells.month_text(birth),
            "fingerprint": idcard.fingerprint(self.key, info.number18), "fitness": fitness, "groups_chosen": groups,
            "consent": Consent(signed=True, date=signed_on),
        }
        v = self.pool.vocab
        for fld, col, allowed, suffixes in (("ethnicity", "民族", v.ethnicity, ("族",)), ("political", "政治面貌", v.political, ()),
                                            ("education", "文化程度", v.education, ()), ("rank", "职级", v.rank, ("级",))):
            val = get(col)
            if val is not None:
                try:
                    form[fld] = cells.vocab(val, allowed, self.syn.get(fld, {}), suffixes)
                except CellError as e:
                    warn(f"{col}{e}，未录入")
        kind = cells.compact(get("离退休类别"))
        if kind:
            if "离" in kind and "退" not in kind.replace("离退", ""):
                form["retirement_kind"] = "离休"
            elif "退" in kind:
                form["retirement_kind"] = "退休"
            else:
                warn(f"离退休类别「{cells.text(get('离退休类别'))}」应为 离休 或 退休，未录入")
        if (val := get("离退休时间")) is not None:
            try:
                form["retired"] = cells.month_text(cells.months(val, date1904)[0])
            except CellError as e:
                warn(f"离退休时间{e}，未录入")
        for fld, col in (("employer", "原工作单位"), ("post", "原职务"), ("title", "专业技术职称"), ("address", "家庭住址"),
                         ("availability", "可服务时间"), ("services", "可提供的服务"), ("remarks", "备注")):
            form[fld] = cells.text(get(col))
        for fld, col in (("specialties", "专业特长"), ("hobbies", "兴趣爱好")):
            items = cells.split_list(get(col))
            if any(len(x) > 2000 for x in items):
                warn(f"{col}过长，未录入")
                items = []
            form[fld] = items
        if (val := get("联系电话")) is not None:
            try:
                form["phone"] = cells.phone(val)
            except CellError as e:
                warn(f"{e}，未录入")
        form["district_raw"] = get("居住区县")  # resolved against the record's own date, see _new/_update
        return form

    def _fitness(self, value: Any) -> str:
        if value is None:
            raise CellError("健康状况未填（填 良好、较好、一般 或 较差）")
        s = cells.compact(value)
        syn = self.syn.get("fitness", {})
        if s in self.fitness:
            return s
        if s in syn:
            return syn[s]
        hits = [f for f in self.fitness if f in s]
        if len(hits) == 1:
            return hits[0]
        raise CellError(f"健康状况「{cells.text(value)}」无法识别：只填 {'、'.join(self.fitness)} 之一（不要填写病情）")

    def _district(self, value: Any, day: dt.date, warn, basis: str = "入库日期") -> str | None:
        """Today's form of a district name as it applies on `day` (富阳 in 2015 → 富阳区)."""
        s = cells.compact(value)
        s = _CITY_PREFIX.sub("", s) or s
        d = self.pool.district(s)
        if d is None:
            warn(f"居住区县「{cells.text(value)}」不是杭州的区、县（市），未录入")
            return None
        seen, steps = set(), []
        while not d.valid_on(day) and d.successor and d.name not in seen:
            seen.add(d.name)
            nxt = self.pool.district(d.successor)
            if nxt is None:
                break
            steps.append(_renamed(d, nxt))
            d = nxt
        if steps:
            warn("居住区县" + "，".join(steps) + f"，按{basis}记为「{d.name}」")
        if not d.valid_on(day):
            if d.valid_from and day < d.valid_from:
                warn(f"居住区县「{d.name}」{d.valid_from} 才设立，{basis} {day} 时还没有这个区县，未录入")
            else:
                warn(f"居住区县「{d.name}」在{basis} {day} 时不适用，未录入")
            return None
        return d.name

    # -- matching
    def match(self, res: RowResult, form: dict[str, Any]) -> RowResult:
        fp, key = form["fingerprint"], name_key(form["name"])
        person = (key, form["birth"], form["gender"])
        if fp in self.seen_fp:
            first = self.seen_fp[fp]
            if name_key(first.name or "") != key:
                res.outcome, res.reason = "suspect", f"与本表{first.where}（{first.name}）身份证号相同，但姓名不同：请核实是否填错身份证号"
            else:
                res.outcome, res.reason = "repeat", f"与本表{first.where}是同一人（身份证号相同），不重复录入"
            res.talent_id = first.talent_id
            return res
        if person in self.seen_person and self.seen_person[person][1] != fp:
            first = self.seen_person[person][0]
            res.outcome, res.reason = "suspect", f"与本表{first.where}姓名、出生年月、性别相同，但身份证号不同：请核实是否为两人"
            return res
        self.seen_fp[fp] = res
        self.seen_person[person] = (res, fp)
        tid = self.index.by_fp.get(fp)
        if tid is not None:
            if not self.index.same_name(tid, key):
                p = self.index.people[tid]
                res.outcome, res.talent_id = "suspect", tid
                res.reason = f"身份证号与已入库的 {p.name}（{tid}）相同，但姓名不同：请核实是否填错身份证号或姓名"
                return res
            return self._update(res, form, tid)
        candidates = [t for t in self.index.by_person.get(person, []) if t in self.index.people]
        if candidates:
            legacy = [t for t in candidates if not self.index.people[t].fingerprint]
            if len(candidates) == 1 and legacy:
                return self._update(res, form, legacy[0])
            who = "、".join(f"{self.index.people[t].name}（{t}）" for t in candidates)
            res.outcome, res.talent_id = "suspect", candidates[0]
            res.reason = f"与已入库的 {who} 姓名、出生年月、性别相同，但身份证号不同：请核实是否为同一人"
            return res
        return self._new(res, form)

    def _new(self, res: RowResult, form: dict[str, Any]) -> RowResult:
        tid = new_talent_id(self.rng, self.taken) if self.rng is not None else _secret_id(self.taken)
        seq = res.seq if res.seq and res.seq.isdigit() else None
        raw = form.pop("district_raw")
        form["district"] = self._district(raw, self.day, res.warnings.append) if raw is not None else None
        data = {k: v for k, v in form.items() if v is not None}
        try:
            t = Talent(id=tid, **data, groups=[Membership(group=g, since=self.day) for g in form["groups_chosen"]],
                       status="已入库", registered=self.day,
                       source=Source(unit=self.unit.id, batch=f"{self.day.isoformat()} {self.unit.name}", row=int(seq) if seq else None))
        except ValidationError as e:
            self.taken.discard(tid)
            return self._reject(res, "；".join(f"{LABELS.get(loc.split('.')[0], loc)}：{msg}" for loc, msg in describe_validation_error(e)))
        res.outcome, res.talent_id, res.record = "new", tid, t
        self.touched[tid] = res
        return res

    def _update(self, res: RowResult, form: dict[str, Any], tid: str) -> RowResult:
        res.talent_id = tid
        old = self.index.talent(tid)
        if old.status == "已退出":
            res.outcome = "suspect"
            res.reason = f"与 {old.name}（{tid}）是同一人，但此人已于 {old.withdrawn} 退出人才库：是否重新入库请维护人员决定"
            return res
        if tid in self.touched:
            res.outcome, res.reason = "repeat", f"与{self.touched[tid].where}是同一人，不重复录入"
            return res
        raw = form.pop("district_raw")
        if raw is not None:
            # the record's district is checked against its registration date; a renamed district
            # (下城区 → 拱墅区) is the same place, not a change
            notes: list[str] = []
            name = self._district(raw, old.registered or self.day, notes.append, "登记日期" if old.registered else "入库日期")
            same = name and old.district and self.pool.current_district(name) == self.pool.current_district(old.district)
            form["district"] = None if same else name
            if not same:
                res.warnings.extend(notes)
        new = old.model_copy(deep=True)
        changes = []
        written = res.name or form["name"]
        if written != old.name and written not in old.name_variants and form["name"] not in old.name_variants:
            new.name_variants = [*old.name_variants, written]
            changes.append((LABELS["name_variants"], _show(old.name_variants), _show(new.name_variants)))
            res.warnings.append(f"姓名写作「{res.name}」，与库中「{old.name}」按简繁、空格归一后相同，视为同一人")
        for fld in UPDATABLE:
            value = form.get(fld)
            if value is None or value == []:
                continue  # a blank cell is not a request to erase
            if getattr(old, fld) != value:
                changes.append((LABELS[fld], _show(getattr(old, fld)), _show(value)))
                setattr(new, fld, value)
        c = form["consent"]
        if c.date and old.consent.date != c.date:
            changes.append((LABELS["consent"], _show(old.consent), _show(c)))
            new.consent = Consent(signed=True, date=c.date)
        if not changes:
            res.outcome = "unchanged"
            self.touched[tid] = res
            return res
        try:
            new = Talent.model_validate(new.to_data())
        except ValidationError as e:
            return self._reject(res, "；".join(f"{LABELS.get(loc.split('.')[0], loc)}：{msg}" for loc, msg in describe_validation_error(e)))
        res.outcome, res.changes, res.record = "update", changes, new
        self.touched[tid] = res
        return res
