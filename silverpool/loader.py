"""The one loader of the data tree. Every command reads the pool through `load_pool`.

Each file is read once and validated against its model. A file that fails is reported as
problems (file, field path, Chinese message, line) and left out of the pool, so that one bad
file never hides the others.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError

from . import yamlio
from .models import (
    Activity,
    DistinctPair,
    District,
    Group,
    Phase,
    Plan,
    PoolConfig,
    Record,
    Summary,
    Talent,
    Unit,
    Vocabulary,
)
from .problems import Problem, describe_validation_error

M = TypeVar("M", bound=Record)


class UnitsFile(Record):
    units: list[Unit]


class DistrictsFile(Record):
    districts: list[District]


class PhasesFile(Record):
    phases: list[Phase]


class DistinctFile(Record):
    pairs: list[DistinctPair] = []


@dataclass
class Loaded:
    """A record with the file it came from and that file's text (for the canonical check)."""

    path: Path
    text: str
    record: Record


@dataclass
class Pool:
    root: Path
    config: PoolConfig | None = None
    vocab: Vocabulary | None = None
    units: dict[str, Unit] = field(default_factory=dict)
    districts: dict[str, District] = field(default_factory=dict)
    phases: dict[int, Phase] = field(default_factory=dict)
    distinct: list[DistinctPair] = field(default_factory=list)
    talents: dict[str, Talent] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    activities: dict[str, Activity] = field(default_factory=dict)
    plans: dict[tuple[str, int], Plan] = field(default_factory=dict)
    summaries: dict[tuple[str, int], Summary] = field(default_factory=dict)
    files: list[Loaded] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    path_of: dict[int, Path] = field(default_factory=dict)  # id(record) -> file
    data_entries: list | None = None  # every file under data/, listed once by the checks

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def file_of(self, record: Record) -> Path:
        return self.path_of[id(record)]

    def problem(self, path: Path, loc: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.rel(path), loc, message, line))

    # lookups used across commands
    def unit_by_name(self, text: str) -> Unit | None:
        text = text.strip()
        for u in self.units.values():
            if text in (u.id, u.name, *u.aliases):
                return u
        return None

    def district(self, name: str) -> District | None:
        d = self.districts.get(name)
        if d is not None:
            return d
        for d in self.districts.values():
            if name in d.aliases:
                return d
        return None

    def current_district(self, name: str) -> str:
        """Today's name of a district written under an older name (下城区 → 拱墅区)."""
        seen = set()
        d = self.district(name)
        while d is not None and d.successor and d.name not in seen:
            seen.add(d.name)
            d = self.district(d.successor)
        return d.name if d else name

    def group_name(self, gid: str) -> str:
        g = self.groups.get(gid)
        return g.name if g else gid

    def fitness_levels(self) -> dict[str, bool]:
        return {f.level: f.can_serve for f in self.vocab.fitness} if self.vocab else {}


def _read(pool: Pool, path: Path, model: type[M]) -> M | None:
    try:
        text, data = yamlio.read_file(path)
    except yamlio.YamlError as e:
        pool.problem(path, "", str(e), e.line)
        return None
    except OSError as e:
        pool.problem(path, "", f"无法读取文件：{e.strerror}")
        return None
    if not isinstance(data, dict):
        pool.problem(path, "", "文件内容应是一个键值映射（字段: 值），现在不是；请对照同目录其他文件", 1)
        return None
    try:
        record = model.model_validate(data)
    except ValidationError as e:
        for loc, message in describe_validation_error(e):
            pool.problem(path, loc, message, _line_of(text, loc))
        return None
    pool.files.append(Loaded(path, text, record))
    pool.path_of[id(record)] = path
    return record


def _line_of(text: str, loc: str) -> int | None:
    """The line of a field path such as `groups[1].since` in a YAML text, for annotations."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    best = node.start_mark.line + 1
    for part in _split_loc(loc):
        if isinstance(part, int) and isinstance(node, yaml.SequenceNode) and part < len(node.value):
            node = node.value[part]
        elif isinstance(part, str) and isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == part:
                    best = k.start_mark.line + 1
                    node = v
                    break
            else:
                return best
        else:
            return best
        best = node.start_mark.line + 1 if not isinstance(node, yaml.MappingNode) else best
    return best


def _split_loc(loc: str) -> list[str | int]:
    parts: list[str | int] = []
    for chunk in loc.replace("]", "").split("."):
        for i, p in enumerate(chunk.split("[")):
            if p == "":
                continue
            parts.append(int(p) if i > 0 and p.isdigit() else p)
    return parts


def _expect_name(pool: Pool, path: Path, record: Any, want: str, field_name: str) -> None:
    if want != path.stem:
        pool.problem(path, field_name, f"文件名应与编号一致：文件名为 {path.stem}，{field_name} 为 {want}；请改名为 {want}.yaml")


def _yaml_files(folder: Path, nested: bool = False) -> list[Path]:
    """The .yaml files of a folder (or of its sub-folders), in name order. Names are sorted as
    text: sorting 20,000 Path objects costs more than reading the list."""
    if not folder.is_dir():
        return []
    if nested:
        return [p for sub in sorted(os.listdir(folder)) if (folder / sub).is_dir() for p in _yaml_files(folder / sub)]
    return [folder / n for n in sorted(os.listdir(folder)) if n.endswith(".yaml")]


def load_pool(root: Path | str, reference_only: bool = False) -> Pool:
    """The whole pool; with reference_only, just config, reference data and groups (intake reads
    people itself, only those it matches, to stay fast on a pool of tens of thousands)."""
    root = Path(root).resolve()
    pool = Pool(root)
    data = root / "data"
    if not data.is_dir():
        pool.problems.append(Problem(str(data), "", "找不到数据目录 data/；请用 --root 指向人才库仓库"))
        return pool

    ref = data / "reference"
    pool.config = _read(pool, data / "pool.yaml", PoolConfig) if (data / "pool.yaml").exists() else None
    if pool.config is None and not (data / "pool.yaml").exists():
        pool.problem(data / "pool.yaml", "", "缺少人才库配置文件")
    pool.vocab = _read(pool, ref / "vocabulary.yaml", Vocabulary)
    if (f := _read(pool, ref / "units.yaml", UnitsFile)) is not None:
        for i, u in enumerate(f.units):
            if u.id in pool.units:
                pool.problem(ref / "units.yaml", f"units[{i}].id", f"单位编号 {u.id} 重复")
            pool.units[u.id] = u
    if (f := _read(pool, ref / "districts.yaml", DistrictsFile)) is not None:
        pool.districts = {d.name: d for d in f.districts}
    if (f := _read(pool, ref / "phases.yaml", PhasesFile)) is not None:
        pool.phases = {p.number: p for p in f.phases}
    if (ref / "distinct.yaml").exists() and (f := _read(pool, ref / "distinct.yaml", DistinctFile)) is not None:
        pool.distinct = f.pairs

    for path in [] if reference_only else _yaml_files(data / "talents"):
        if (t := _read(pool, path, Talent)) is not None:
            _expect_name(pool, path, t, t.id, "id")
            pool.talents[t.id] = t
    for path in _yaml_files(data / "groups"):
        if (g := _read(pool, path, Group)) is not None:
            _expect_name(pool, path, g, g.id, "id")
            pool.groups[g.id] = g
    pool.groups = dict(sorted(pool.groups.items(), key=lambda kv: (kv[1].order, kv[0])))
    if reference_only:
        return pool
    for path in _yaml_files(data / "activities", nested=True):
        if (a := _read(pool, path, Activity)) is not None:
            _expect_name(pool, path, a, a.id, "id")
            if path.parent.name != str(a.date.year):
                pool.problem(path, "date", f"活动日期在 {a.date.year} 年，却放在 {path.parent.name}/ 目录；请移到 {a.date.year}/")
            pool.activities[a.id] = a
    for kind, model, store in (("plans", Plan, pool.plans), ("summaries", Summary, pool.summaries)):
        for path in _yaml_files(data / kind, nested=True):
            if (r := _read(pool, path, model)) is not None:
                _expect_name(pool, path, r, r.group, "group")
                if path.parent.name != str(r.year):
                    pool.problem(path, "year", f"year 为 {r.year}，却放在 {path.parent.name}/ 目录")
                store[(r.group, r.year)] = r
    return pool
