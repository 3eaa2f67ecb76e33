"""The intake, step by step: check everything that can refuse the whole run first (unit, key,
files, headers, branch), then process the rows, then write — the report and return file to
build/intake/, the people to a new branch (or the working tree with --no-branch)."""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


from .. import idcard, yamlio
from ..loader import load_pool
from . import gitops
from .match import OUTCOME_NAMES, OUTCOMES, Matcher, PeopleIndex, scan_people
from .parallel import Background
from .reader import REQUIRED, ReadError, filled_date, find_table, read_workbook
from .report import FileResult, accounting, pr_body, pr_title, write_return_file


class IntakeError(Exception):
    """Refuses the whole run; the message is one Chinese line. Nothing has been written."""


@dataclass
class Outcome:
    files: list[FileResult]
    counts: Counter
    out_dir: Path
    body_path: Path
    return_paths: list[Path]
    written: list[str] = field(default_factory=list)  # repo-relative paths
    branch: str | None = None
    commit: str | None = None
    pr: str | None = None
    notes: list[str] = field(default_factory=list)
    day: dt.date | None = None
    unit: str = ""  # 单位名称（编号）


class Progress:
    """A terminal progress bar on stderr; silent when stderr is not a terminal."""

    def __init__(self, total: int, label: str, stream=None):
        self.stream = stream or sys.stderr
        self.on = total >= 200 and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.total, self.label, self.last = total, label, -1

    def update(self, done: int) -> None:
        if not self.on:
            return
        pct = done * 100 // self.total
        if pct != self.last:
            self.last = pct
            bar = "#" * (pct // 4) + "-" * (25 - pct // 4)
            self.stream.write(f"\r{self.label} [{bar}] {pct:3d}%（{done}/{self.total} 行）")
            self.stream.flush()

    def close(self) -> None:
        if self.on:
            self.stream.write("\r" + " " * 70 + "\r")
            self.stream.flush()


def _key(pool, root: Path, explicit: Path | None) -> bytes:
    demo = root / pool.config.demo_key if pool.config and pool.config.demo_key else None
    try:
        key, where = idcard.find_key(explicit, demo)
    except idcard.FingerprintKeyError as e:
        raise IntakeError(str(e)) from None
    want = pool.config.fingerprint_key_id if pool.config else None
    if want is None:
        raise IntakeError(f"data/pool.yaml 没有写 fingerprint_key_id：请写入密钥编号 \"{idcard.key_id(key)}\"（密钥 {where}）后再入库")
    if idcard.key_id(key) != want:
        raise IntakeError(f"指纹密钥 {where} 不是本人才库的密钥（编号 {idcard.key_id(key)}，人才库要求 {want}）："
                          "用错密钥会使所有人都匹配不上；请用 --key 指定正确的密钥文件")
    return key


def record_text(t) -> str:
    """The canonical YAML of a record."""
    return yamlio.dump(t.to_data())


def run_intake(root: Path, files: list[Path], unit_text: str, day: dt.date, key_path: Path | None = None,
               branch_mode: bool = True, open_pr: bool = True, rng=None, progress_stream=None) -> Outcome:
    root = root.resolve()
    pool = load_pool(root, reference_only=True)
    if pool.problems:
        p = pool.problems[0]
        raise IntakeError(f"人才库参考数据有误（{p.text()}）：请先运行 silverpool check 并修正")
    unit = pool.unit_by_name(unit_text)
    if unit is None:
        near = [u.name for u in pool.units.values() if unit_text.strip() and (unit_text.strip() in u.name or u.name in unit_text)]
        hint = f"是否指 {'、'.join(near[:5])}？" if near else "请写 data/reference/units.yaml 中的单位名称、简称或编号"
        raise IntakeError(f"不认识单位「{unit_text}」：{hint}")
    key = _key(pool, root, key_path)

    branch = f"intake/{unit.id}/{day.isoformat()}" if branch_mode else None
    if branch_mode:
        if not gitops.is_repo(root):
            raise IntakeError(f"{root} 不是 git 仓库的根目录：请在人才库仓库中运行，或用 --no-branch 直接写入文件")
        try:
            gitops.head(root)
            if changed := gitops.dirty(root, "data"):
                raise IntakeError(f"data/ 下有未提交的修改（如 {changed[0]}）：新分支只能基于已提交的数据；请先提交或撤销，或用 --no-branch")
        except gitops.GitError as e:
            raise IntakeError(str(e)) from None

    # the pool's people are scanned on the other core while the submission is read
    scan = Background(scan_people, pool.data_dir / "talents")
    try:
        return _run(root, pool, unit, key, day, files, branch, branch_mode, open_pr, rng, progress_stream, scan)
    finally:
        scan.cancel()


def _run(root, pool, unit, key, day, files, branch, branch_mode, open_pr, rng, progress_stream, scan) -> Outcome:
    # read every file before touching anything: a bad file refuses the whole run
    results: list[FileResult] = []
    for path in files:
        try:
            wb = read_workbook(path)
        except ReadError as e:
            raise IntakeError(str(e)) from None
        tables, notes = [], list(wb.notes)
        for s in wb.sheets:
            t = find_table(s)
            if t is None:
                if any(any(v not in (None, "") for v in row) for row in s.rows):
                    notes.append(f"工作表「{s.name}」中没有找到表头，未读取（如是说明页可忽略）")
                continue
            missing = [f for f in REQUIRED if f not in t.columns]
            if missing:
                raise IntakeError(f"{path.name} 工作表「{s.name}」缺少必填列：{'、'.join(missing)}；请让单位按《基本信息表》模板（silverpool template）补齐")
            if t.unknown:
                notes.append(f"工作表「{s.name}」有未识别的列（已忽略）：{'、'.join(t.unknown)}")
            tables.append(t)
        if not tables:
            raise IntakeError(f"{path.name}：找不到表头（应有 姓名、身份证号、性别、出生年月 等列名的一行）；请让单位按《基本信息表》模板（silverpool template）填写")
        for name in wb.hidden_sheets:
            notes.append(f"隐藏的工作表「{name}」未读取")
        filled = next((d for t in tables if (d := filled_date(t)) is not None), None)
        results.append(FileResult(path, wb, tables, notes=notes, filled_on=filled))

    matcher = Matcher(pool, None, key, unit, day, rng=rng)
    total = sum(fr.rows for fr in results)
    bar = Progress(total, "正在读取", progress_stream)
    done = 0
    forms: list[list] = []  # per file: (row result, form or None), in table order
    for fr in results:
        forms.append(read := [])
        for t in fr.tables:
            for r in range(t.first, t.last + 1):
                read.append(matcher.read(t, r, fr.workbook.date1904))
                done += 1
                if done % 100 == 0:
                    bar.update(done)
    bar.close()
    matcher.use(PeopleIndex(pool, scan.result()))
    bar = Progress(total, "正在核对", progress_stream)
    done = 0
    for fr, read in zip(results, forms):
        for res, form in read:
            fr.results.append(res if form is None else matcher.match(res, form))
            done += 1
            if done % 100 == 0:
                bar.update(done)
        hidden = sum(1 for x in fr.results if x.reason.startswith("隐藏行"))
        if hidden:
            fr.notes.append(f"{hidden} 个隐藏行未作为人员录入（见“跳过”）")
        examples = sum(1 for x in fr.results if x.reason == "示例行")
        if examples:
            fr.notes.append(f"{examples} 个示例行未作为人员录入")
    bar.close()

    changed: dict[str, str] = {}
    for fr in results:
        for r in fr.results:
            if r.record is not None and r.outcome in ("new", "update"):
                text = record_text(r.record)
                if idcard.id_number_line(text) is not None:  # the same rule as silverpool check
                    raise IntakeError(f"{fr.path.name} {r.where}：某个字段里含有完整身份证号，人才库不得保存；请删除该内容后重新入库")
                changed[f"data/talents/{r.record.id}.yaml"] = text

    if branch_mode and changed and gitops.branch_exists(root, branch):
        raise IntakeError(f"分支 {branch} 已存在，本次又有新的改动：请先合并或删除该分支（git branch -D {branch}），或换一个 --date")
    pending = None  # the blobs go into git (another process) while the reports are written
    if branch_mode and changed:
        try:
            pending = gitops.BranchCommit(root, changed)
        except gitops.GitError as e:
            raise IntakeError(f"创建分支失败，未写入任何数据：{e}") from None
    try:
        return _write(root, pool, unit, day, results, changed, branch, branch_mode, open_pr, pending)
    finally:
        if pending is not None:
            pending.abort()


def _write(root, pool, unit, day, results, changed, branch, branch_mode, open_pr, pending) -> Outcome:
    counts = sum((fr.counts for fr in results), Counter())
    out_dir = _new_folder(root / "build" / "intake", f"{unit.id}-{day.isoformat()}")
    # the return files hold full ID numbers: keep them out of git even where build/ is not ignored
    (out_dir.parent / ".gitignore").write_text("*\n", "utf-8")
    return_paths = []
    for fr in results:
        rp = out_dir / f"{fr.path.stem}-处理结果.xlsx"
        write_return_file(rp, fr)
        return_paths.append(rp)
    body = pr_body(unit, day, results, branch if changed else None, pool.group_name)
    body_path = out_dir / "pr.md"
    body_path.write_text(body, "utf-8")
    outcome = Outcome(results, counts, out_dir, body_path, return_paths, written=sorted(changed), day=day,
                      unit=f"{unit.name}（{unit.id}）")

    if not changed:
        outcome.notes.append("没有新增或更改的人员：未创建分支，也未写入任何数据文件")
        return outcome
    if branch_mode:
        lines = [f"Intake {unit.id} {day}: {counts['new']} new, {counts['update']} updated", ""]
        for fr in results:
            c = fr.counts
            lines.append(f"{fr.path.name}: {fr.rows} rows = " + ", ".join(f"{c[o]} {o}" for o in OUTCOMES))
        try:
            base = gitops.current_branch(root)
            outcome.commit = pending.finish(branch, "\n".join(lines) + "\n")
            outcome.branch = branch
            if open_pr:
                outcome.pr = gitops.open_pull_request(root, branch, base, pr_title(unit, day, results), body_path)
        except gitops.GitError as e:
            raise IntakeError(f"创建分支失败，未写入任何数据：{e}") from None
    else:
        yamlio.write_all({root / p: text for p, text in changed.items()})
    return outcome


def _new_folder(parent: Path, name: str) -> Path:
    """parent/name, or name-2, name-3 … when an earlier run of the day has it: never overwrite
    an earlier report or return file."""
    parent.mkdir(parents=True, exist_ok=True)
    n = 1
    while True:
        path = parent / (name if n == 1 else f"{name}-{n}")
        try:
            path.mkdir()
            return path
        except FileExistsError:
            n += 1


CONSOLE_LIMIT = 50  # rows listed with their reason per file; the rest are in the return file


def summary_lines(o: Outcome, root: Path, date_given: bool = True) -> list[str]:
    lines = []
    if o.day is not None:
        lines.append(f"{o.unit} 入库日期 {o.day}" + ("" if date_given else "（未指定 --date，按今天）"))
    for fr in o.files:
        lines.append(f"{fr.path.name}：{accounting(fr)}")
        if fr.filled_on is not None:
            hint = ""
            if not date_given and o.day is not None and abs((o.day - fr.filled_on).days) > 31:
                hint = f"；如是补录旧表，请用 --date {fr.filled_on} 重新入库"
            lines.append(f"  · 表中填报日期 {fr.filled_on}{hint}")
        for n in fr.notes:
            lines.append(f"  · {n}")
        listed = [r for r in fr.results if r.outcome in ("rejected", "suspect")]
        for r in listed[:CONSOLE_LIMIT]:
            who = r.name or ""
            lines.append(f"  {OUTCOME_NAMES[r.outcome]} {r.where}{who}：{r.reason}")
        if len(listed) > CONSOLE_LIMIT:
            lines.append(f"  …另有 {len(listed) - CONSOLE_LIMIT} 行，见退回表")
    c = o.counts
    lines.append("合计：" + "，".join(f"{OUTCOME_NAMES[k]} {c[k]}" for k in OUTCOMES))
    if o.branch:
        lines.append(f"已在分支 {o.branch} 上提交 {len(o.written)} 个人员文件（提交 {o.commit[:10]}），当前工作区未改动。")
    elif o.written:
        lines.append(f"已写入 {len(o.written)} 个人员文件到 data/talents/（未提交）。")
    lines.extend(o.notes)
    if o.pr:
        lines.append(o.pr)
    rel = lambda p: p.relative_to(root).as_posix() if p.is_relative_to(root) else str(p)  # noqa: E731
    lines.append(f"合并请求说明：{rel(o.body_path)}")
    for rp in o.return_paths:
        lines.append(f"退回表（含完整身份证号，切勿提交到 git）：{rel(rp)}")
    return lines
