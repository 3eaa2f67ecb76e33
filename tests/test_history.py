"""silverpool.history and `silverpool history ID`, on small git repositories made in tmp_path."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from silverpool.cli import main
from silverpool.history import FieldChange, Names, describe, describe_commit, read_history

TALENT = """id: T0AAAA1
name: 测试人
gender: 女
birth: "1950-03"
fitness: 良好
district: 下城区
address: 杭州市下城区武林街道1号
phone: "13812345678"
groups:
  - group: shuhua
    since: 2014-07-01
consent:
  signed: true
status: 待复核
"""

NEWCOMER = """id: {id}
name: {name}
gender: 男
birth: "1952-06"
fitness: 良好
phone: "13800000000"
consent:
  signed: true
status: 待复核
source:
  unit: U002
  batch: 2016-03-01 杭州市财政局
"""

ACTIVITY = """id: A2016-003
title: 千岛湖社区宣讲活动
date: 2016-10-26
groups:
  - xuanjiang
kind: 送文化
service: 宣讲
domain: 文化
place: 千岛湖社区文化家园
district: 淳安县
beneficiary: 社区
served: 177
participants:
  - talent: T0AAAA1
    hours: 3.0
plan_item: 3
"""

GROUP = """id: yiwei
name: 医卫组
order: 4
description: 义诊
leaders:
  - role: 组长
    talent: T0AAAA1
    since: 2014-07-15
"""

PLAN = """group: yiwei
year: 2016
submitted: 2016-01-13
items:
  - number: 1
    month: 2
    title: 义诊进养老机构
    kind: 送服务
    service: 义诊
    domain: 医疗
"""


def git(root: Path, *args: str, date: str | None = None) -> None:
    env = {"GIT_AUTHOR_NAME": "录入员甲", "GIT_AUTHOR_EMAIL": "a@example.invalid",
           "GIT_COMMITTER_NAME": "录入员甲", "GIT_COMMITTER_EMAIL": "a@example.invalid", "PATH": "/usr/bin:/bin"}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T10:00:00+08:00"
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def write(root: Path, rel: str, text: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, "utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hist")
    for gid, name in (("shuhua", "书画组"), ("sheying", "摄影组"), ("xuanjiang", "宣讲组"), ("falv", "法律组")):
        write(root, f"data/groups/{gid}.yaml", f"id: {gid}\nname: {name}\ndescription: 简介\n")
    write(root, "data/groups/yiwei.yaml", GROUP)
    write(root, "data/reference/units.yaml", "units:\n  - id: U002\n    name: 杭州市财政局\n    channel: 市直机关\n    phase: 1\n")
    write(root, "data/talents/T0AAAA1.yaml", TALENT)
    write(root, "data/activities/2016/A2016-003.yaml", ACTIVITY)
    write(root, "data/plans/2016/yiwei.yaml", PLAN)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Data pool foundation", date="2014-07-10")
    # a branch with an edit, merged: the change counts on the merge day
    git(root, "checkout", "-qb", "edit")
    text = TALENT.replace("13812345678", "13987654321").replace("status: 待复核", "status: 已入库\nregistered: 2014-07-20")
    write(root, "data/talents/T0AAAA1.yaml", text)
    git(root, "commit", "-qam", "Phone and status", date="2014-07-20")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "edit", "-m", "Merge edit", date="2014-07-25")
    # then the person moves groups
    write(root, "data/talents/T0AAAA1.yaml", text.replace("group: shuhua", "group: sheying"))
    git(root, "commit", "-qam", "Move groups", date="2015-01-05")
    # an intake from 杭州市财政局, with one edit to a known person
    write(root, "data/talents/T0BBBB1.yaml", NEWCOMER.format(id="T0BBBB1", name="新人甲"))
    write(root, "data/talents/T0BBBB2.yaml", NEWCOMER.format(id="T0BBBB2", name="新人乙"))
    write(root, "data/talents/T0AAAA1.yaml", text.replace("group: shuhua", "group: sheying") + "remarks: 擅长隶书\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Intake U002 2016-03-01: 2 new, 1 updated", date="2016-03-02")
    # the activity, the group and the plan change in one commit
    write(root, "data/activities/2016/A2016-003.yaml", ACTIVITY.replace("千岛湖社区宣讲活动", "凯旋社区法律服务")
          .replace("xuanjiang", "falv").replace("淳安县", "江干区").replace("talent: T0AAAA1\n    hours: 3.0", "talent: T0BBBB1\n    hours: 16.0\n    role: 带队"))
    write(root, "data/groups/yiwei.yaml", GROUP.replace("talent: T0AAAA1", "talent: T0BBBB1"))
    write(root, "data/plans/2016/yiwei.yaml", PLAN.replace("submitted: 2016-01-13", "submitted: 2016-01-14"))
    git(root, "commit", "-qam", "Year's work: rules for activities", date="2016-04-01")
    # code and a README only: not a change to the pool
    write(root, "data/README.md", "# data/\n")
    write(root, "scripts/bench.py", "print(1)\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Benchmark script, CI workflow, pre-commit hooks", date="2016-04-02")
    # someone leaves
    write(root, "data/talents/T0BBBB2.yaml", NEWCOMER.format(id="T0BBBB2", name="新人乙").replace('phone: "13800000000"\n', "")
          .replace("status: 待复核", "status: 已退出\nwithdrawn: 2016-05-01"))
    git(root, "commit", "-qam", "Withdraw T0BBBB2", date="2016-05-01")
    return root


@pytest.fixture(scope="module")
def hist(repo):
    return read_history(repo)


@pytest.fixture(scope="module")
def names(repo):
    return Names.of_files(repo)


def test_history_lists_each_change_with_date_and_fields_newest_first(hist):
    changes = hist.of("data/talents/T0AAAA1.yaml")
    assert [(c.date, c.kind) for c in changes] == [("2016-03-02", "修改"), ("2015-01-05", "修改"), ("2014-07-25", "修改"), ("2014-07-10", "新增")]
    merged = changes[2]
    assert {fc.field for fc in merged.fields} == {"phone", "status", "registered"}
    lines = [describe(fc, "talent") for fc in merged.fields]
    assert "联系电话已更新" in lines
    assert "状态：待复核 → 已入库" in lines
    assert "入库日期：（空） → 2014-07-20" in lines
    assert not any("1398" in x or "1381" in x for x in lines)
    moved = describe(changes[1].fields[0], "talent", Names(group={"shuhua": "书画组", "sheying": "摄影组"}.get))
    assert moved == "所在小组：书画组（2014-07-01 起） → 摄影组（2014-07-01 起）"


def test_a_withdrawal_is_its_own_kind_of_change(hist):
    assert [c.kind for c in hist.of("data/talents/T0BBBB2.yaml")] == ["退出", "新增"]


def test_sensitive_fields_never_show_values():
    assert describe(FieldChange("phone", None, "13812345678")) == "联系电话已添加"
    assert describe(FieldChange("address", "杭州市西湖区北山街道12号", None)) == "家庭住址已删除"
    assert describe(FieldChange("fingerprint", "a" * 24, "b" * 24)) == "身份证指纹已更新"


def test_each_kind_of_record_has_its_own_labels_and_ids_show_as_names(hist, names):
    act = {fc.field: describe(fc, "activity", names) for fc in hist.of("data/activities/2016/A2016-003.yaml")[0].fields}
    assert act["title"] == "活动名称：千岛湖社区宣讲活动 → 凯旋社区法律服务"
    assert act["groups"] == "小组：宣讲组 → 法律组"
    assert act["district"] == "所在区县：淳安县 → 江干区"
    assert act["participants"] == "参加人员：测试人 3 小时 → 新人甲 16 小时（带队）"
    group = [describe(fc, "group", names) for fc in hist.of("data/groups/yiwei.yaml")[0].fields]
    assert group == ["组长、副组长：组长 测试人（2014-07-15 起） → 组长 新人甲（2014-07-15 起）"]
    plan = [describe(fc, "plan", names) for fc in hist.of("data/plans/2016/yiwei.yaml")[0].fields]
    assert plan == ["提交日期：2016-01-13 → 2016-01-14"]
    assert describe(FieldChange("outstanding", ["T0AAAA1"], ["T0AAAA1", "T0BBBB1", "TNOSUCH"]), "summary", names) == \
        "推荐先进：测试人 → 测试人、新人甲、TNOSUCH"  # an ID the pool does not know stays an ID
    assert describe(FieldChange("title", "高级工程师", "教授"), "talent") == "专业技术职称：高级工程师 → 教授"


def test_a_long_list_says_what_came_and_went():
    old = [{"talent": f"T{i:06d}", "hours": 2.0} for i in range(30)]
    new = old[1:] + [{"talent": "T0BBBB1", "hours": 4.0}]
    text = describe(FieldChange("participants", old, new), "activity", Names(talent={"T0BBBB1": "新人甲", "T000000": "老人"}.get))
    assert text == "参加人员：增加 新人甲 4 小时；去掉 老人 2 小时"


def test_commits_are_described_in_chinese_from_what_they_changed(hist, names):
    said = [(c.date, describe_commit(c, names)) for c in hist.commits]
    assert said == [
        ("2016-05-01", "退出人员 1 名"),
        ("2016-04-02", ""),  # README and code only
        ("2016-04-01", "修改活动 A2016-003；修改小组 医卫组；修改 医卫组 2016 年计划"),
        ("2016-03-02", "新增人员 2 名（杭州市财政局报送）；修改人员 1 名"),
        ("2015-01-05", "修改人员 1 名"),
        ("2014-07-25", "修改人员 1 名"),
        ("2014-07-10", "新增人员 1 名；新增活动 A2016-003；新增小组 5 个；新增 医卫组 2016 年计划；新增参考数据（推荐单位名单）"),
    ]


def test_history_command_prints_dates_kinds_and_fields_only(repo, capsys):
    assert main(["--root", str(repo), "history", "T0AAAA1"]) == 0
    out = capsys.readouterr().out
    assert "2014-07-25  修改\n    " in out and "2014-07-10  新增\n" in out
    assert "联系电话已更新" in out
    assert "状态：待复核 → 已入库" in out
    assert "所在小组：书画组（2014-07-01 起） → 摄影组（2014-07-01 起）" in out
    assert "录入员甲" not in out and "13987654321" not in out
    assert "Merge" not in out and "Phone" not in out and "Intake" not in out


def test_history_command_for_an_activity_and_a_group(repo, capsys):
    assert main(["--root", str(repo), "history", "A2016-003"]) == 0
    out = capsys.readouterr().out
    assert "2016-04-01  修改\n    活动名称：千岛湖社区宣讲活动 → 凯旋社区法律服务\n" in out
    assert "    小组：宣讲组 → 法律组\n" in out and "    所在区县：淳安县 → 江干区\n" in out
    assert "专业技术职称" not in out and "所在小组" not in out and "居住区县" not in out and "xuanjiang" not in out
    assert "Year's work" not in out
    assert main(["--root", str(repo), "history", "yiwei"]) == 0
    out = capsys.readouterr().out
    assert "组长、副组长：组长 测试人（2014-07-15 起） → 组长 新人甲（2014-07-15 起）" in out
    assert "Year" not in out and "录入员甲" not in out


def test_history_command_unknown_id_is_one_chinese_line(repo, capsys):
    assert main(["--root", str(repo), "history", "nosuch"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：找不到编号为 nosuch") and err.count("\n") == 1


def test_history_without_git_is_marked_unavailable(tmp_path, capsys):
    (tmp_path / "data" / "talents").mkdir(parents=True)
    (tmp_path / "data" / "talents" / "T0AAAA1.yaml").write_text(TALENT, "utf-8")
    hist = read_history(tmp_path)
    assert not hist.available and hist.commits == [] and hist.of("data/talents/T0AAAA1.yaml") == []
    assert main(["--root", str(tmp_path), "history", "T0AAAA1"]) == 2
    assert "不是 git 仓库" in capsys.readouterr().err
