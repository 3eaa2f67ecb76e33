"""The three sample submissions, imported in order into a temporary git copy of the pool, each
merged before the next: exactly the results their README gives."""

from __future__ import annotations

import datetime as dt
import random
import re
import subprocess
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from silverpool.checks import run_checks
from silverpool.idcard import id_number_line
from silverpool.intake.run import run_intake
from silverpool.loader import load_pool

from .conftest import copy_pool

SAMPLES = Path(__file__).parent / "fixtures" / "samples"
S1, S2, S3 = SAMPLES / "2014-市直-发改委.xlsx", SAMPLES / "2014-老干部大学.xls", SAMPLES / "2015-西湖区.csv"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout.strip()


def make_repo(dest: Path) -> Path:
    root = copy_pool(dest)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "测试维护员")
    git(root, "config", "user.email", "maint@example.invalid")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "pool")
    return root


def intake(root: Path, path: Path, unit: str, day: str, **kw):
    return run_intake(root, [path], unit, dt.date.fromisoformat(day), key_path=root / "examples/demo-fingerprint.key",
                      open_pr=False, rng=random.Random(7), **kw)


def by_seq(outcome) -> dict[str, object]:
    return {r.seq: r for r in outcome.files[0].results if r.seq}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = make_repo(tmp_path_factory.mktemp("samples"))
    out = {"root": root}
    for label, path, unit, day in (("s1", S1, "杭州市发展和改革委员会", "2014-07-10"), ("s2", S2, "杭州老干部大学", "2014-07-12"),
                                   ("s3", S3, "西湖区委老干部局", "2015-07-01")):
        head_before = git(root, "rev-parse", "HEAD")
        o = intake(root, path, unit, day)
        out[label] = o
        out[label + "_body"] = o.body_path.read_text("utf-8")
        out[label + "_head_before"] = head_before
        out[label + "_head_after_run"] = git(root, "rev-parse", "HEAD")
        out[label + "_status"] = git(root, "status", "--porcelain")
        out[label + "_files"] = git(root, "diff", "--name-only", f"{head_before}..{o.branch}").splitlines()
        git(root, "merge", "-q", "--ff-only", o.branch)
        pool = load_pool(root)
        run_checks(pool)
        out[label + "_problems"] = [p.text() for p in pool.problems]
        out[label + "_pool"] = pool
    out["again"] = intake(root, S3, "西湖区委老干部局", "2015-07-01")
    return out


def test_s1_counts_and_rejected_rows(runs):
    o = runs["s1"]
    c = o.counts
    assert (c["new"], c["rejected"], c["skipped"], c["update"], c["unchanged"], c["repeat"], c["suspect"]) == (21, 4, 1, 0, 0, 0, 0)
    assert sum(c.values()) == o.files[0].rows == 26
    rows = by_seq(o)
    assert {s for s, r in rows.items() if r.outcome == "rejected"} == {"7", "12", "18", "21"}
    assert "本人未确认" in rows["7"].reason
    assert "校验位" in rows["12"].reason
    assert "棋牌组" in rows["18"].reason
    assert rows["21"].reason == "姓名未填"
    blank = [r for r in o.files[0].results if r.outcome == "skipped"]
    assert len(blank) == 1 and blank[0].row == 18 and blank[0].reason == "空行"  # after 序号 14 (row 17)


def test_s1_branch_holds_one_commit_with_the_new_people_only(runs):
    root, o = runs["root"], runs["s1"]
    assert o.branch == "intake/U001/2014-07-10"
    assert runs["s1_head_after_run"] == runs["s1_head_before"]  # the checkout was not moved
    assert runs["s1_status"] == ""  # nor the working tree touched (build/ holds a .gitignore)
    files = runs["s1_files"]
    assert len(files) == 21 and all(re.fullmatch(r"data/talents/T[0-9A-Z]{6}\.yaml", f) for f in files)
    assert git(root, "rev-list", "--count", f"{runs['s1_head_before']}..{o.branch}") == "1"
    msg = git(root, "log", "-1", "--format=%B", o.branch)
    assert msg.startswith("Intake U001 2014-07-10: 21 new, 0 updated")
    assert "26 rows = 21 new, 0 update, 0 unchanged, 0 repeat, 0 suspect, 4 rejected, 1 skipped" in msg


def test_s1_new_record_is_complete_and_holds_no_id_number(runs):
    pool = runs["s1_pool"]
    (t,) = [t for t in pool.talents.values() if t.name == "卢金"]
    assert (t.gender, t.birth, t.ethnicity, t.political, t.education) == ("男", "1936-07", "满族", "群众", "中专")
    assert (t.retirement_kind, t.retired, t.rank, t.title) == ("退休", "1996-08", "正厅级", "高级工程师")
    assert t.specialties == ["形势政策宣讲", "合唱指挥"] and t.groups_chosen == ["xuanjiang", "wenyi"]
    assert [(m.group, m.since) for m in t.groups] == [("xuanjiang", dt.date(2014, 7, 10)), ("wenyi", dt.date(2014, 7, 10))]
    assert t.phone == "17666512407" and t.district == "建德市" and t.fitness == "良好"
    assert t.status == "已入库" and t.registered == dt.date(2014, 7, 10) and t.consent.signed
    assert (t.source.unit, t.source.batch, t.source.row) == ("U001", "2014-07-10 杭州市发展和改革委员会", 1)
    assert t.fingerprint and len(t.fingerprint) == 24
    text = pool.file_of(t).read_text("utf-8")
    assert "330182193607145637" not in text


def test_checks_pass_after_each_sample(runs):
    assert runs["s1_problems"] == []
    assert runs["s2_problems"] == []
    assert runs["s3_problems"] == []


def test_s2_unchanged_update_repeat_and_landline(runs):
    o = runs["s2"]
    c = o.counts
    assert (c["new"], c["unchanged"], c["update"], c["repeat"], c["rejected"], c["suspect"], c["skipped"]) == (27, 1, 1, 1, 0, 0, 0)
    assert sum(c.values()) == o.files[0].rows == 30
    rows = by_seq(o)
    assert rows["10"].outcome == "unchanged"
    assert rows["11"].outcome == "update" and rows["11"].changes == [("联系电话", "19105382616", "13900000001")]
    assert rows["30"].outcome == "repeat" and "序号 13" in rows["30"].reason
    assert rows["10"].talent_id == by_seq(runs["s1"])["1"].talent_id
    assert rows["11"].talent_id == by_seq(runs["s1"])["2"].talent_id
    pool = runs["s2_pool"]
    assert pool.talents[rows["5"].talent_id].phone == "0571-87654321"
    assert pool.talents[rows["4"].talent_id].phone == "0571-87654321"
    assert pool.talents[rows["11"].talent_id].phone == "13900000001"
    assert pool.talents[rows["11"].talent_id].registered == dt.date(2014, 7, 10)  # updates keep registration
    # every text spelling of 出生年月 agreed with the ID number
    assert pool.talents[rows["7"].talent_id].birth == "1945-06" and pool.talents[rows["6"].talent_id].birth == "1953-02"
    # only the new people and the one changed person are in the commit
    assert len(runs["s2_files"]) == 28


def test_s3_traditional_name_is_the_same_person_and_15_digit_id(runs):
    o = runs["s3"]
    c = o.counts
    assert (c["new"], c["update"], c["unchanged"], c["suspect"], c["rejected"]) == (19, 1, 0, 0, 0)
    assert sum(c.values()) == 20
    rows = by_seq(o)
    r8 = rows["8"]
    assert r8.outcome == "update" and r8.talent_id == by_seq(runs["s2"])["15"].talent_id
    assert r8.changes == [("姓名其他写法", "（空）", "陳 國華")]
    t = runs["s3_pool"].talents[r8.talent_id]
    assert t.name == "陈国华" and t.name_variants == ["陳 國華"]
    assert rows["5"].outcome == "new" and any("15 位" in w for w in rows["5"].warnings)
    assert runs["s3_pool"].talents[rows["5"].talent_id].birth == "1945-08"


def test_same_file_again_changes_nothing(runs):
    o = runs["again"]
    assert o.counts["unchanged"] == 20 and sum(o.counts.values()) == 20
    assert o.branch is None and o.commit is None and o.written == []
    assert "intake/U020/2015-07-01" in git(runs["root"], "branch", "--list")  # the merged branch, untouched


def test_pr_body_lists_everything_and_masks_id_numbers(runs):
    body = runs["s1_body"]
    assert "新增人员（21）" in body and "退回单位（未写入）（4）" in body
    assert "合计 26，相符" in body
    assert "3301**********5637" in body
    assert id_number_line(body) is None
    body2 = runs["s2_body"]
    assert "联系电话：19105382616 → 13900000001" in body2
    body3 = runs["s3_body"]
    assert "姓名其他写法：（空） → 陳 國華" in body3


def test_return_file_has_a_result_for_every_row(runs):
    o = runs["s1"]
    (path,) = o.return_paths
    assert path.parent == runs["root"] / "build" / "intake" / "U001-2014-07-10"
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    header = rows[2]
    assert header[-1] == "处理结果" and header[7] == "身份证号"
    results = {str(int(r[0])): r[-1] for r in rows[3:] if r[0] != ""}
    assert len(results) == 25
    assert results["1"].startswith("已入库（新增，编号 T")
    assert results["7"].startswith("未入库，请改正后重新报送：本人未确认")
    assert "校验位" in results["12"]
    assert rows[17] == [""] * len(rows[17])  # the blank row stays blank
    assert rows[3][7] == "330182193607145637"  # the unit's own table, with its ID numbers: never committed
    tracked = git(runs["root"], "ls-files", "build")
    assert tracked == ""


def test_second_branch_for_new_changes_is_refused_while_the_first_exists(tmp_path):
    from silverpool.intake.run import IntakeError

    root = make_repo(tmp_path)
    intake(root, S1, "市发改委", "2014-07-10")
    with pytest.raises(IntakeError, match="已存在"):
        intake(root, S1, "市发改委", "2014-07-10")
    assert git(root, "status", "--porcelain") == ""
