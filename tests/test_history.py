"""silverpool.history and `silverpool history ID`, on small git repositories made in tmp_path."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from silverpool.cli import main
from silverpool.history import FieldChange, describe, read_history

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


def git(root: Path, *args: str, date: str | None = None) -> None:
    env = {"GIT_AUTHOR_NAME": "录入员甲", "GIT_AUTHOR_EMAIL": "a@example.invalid",
           "GIT_COMMITTER_NAME": "录入员甲", "GIT_COMMITTER_EMAIL": "a@example.invalid", "PATH": "/usr/bin:/bin"}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T10:00:00+08:00"
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hist")
    (root / "data" / "talents").mkdir(parents=True)
    (root / "data" / "groups").mkdir()
    (root / "data" / "groups" / "shuhua.yaml").write_text("id: shuhua\nname: 书画组\ndescription: 书画\n", "utf-8")
    (root / "data" / "groups" / "sheying.yaml").write_text("id: sheying\nname: 摄影组\ndescription: 摄影\n", "utf-8")
    git(root, "init", "-q", "-b", "main")
    f = root / "data" / "talents" / "T0AAAA1.yaml"
    f.write_text(TALENT, "utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "入库：第一批", date="2014-07-10")
    # a branch with an edit, merged: the change counts on the merge day
    git(root, "checkout", "-qb", "edit")
    text = TALENT.replace("13812345678", "13987654321").replace("status: 待复核", "status: 已入库\nregistered: 2014-07-20")
    f.write_text(text, "utf-8")
    git(root, "commit", "-qam", "修改：电话与状态", date="2014-07-20")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "edit", "-m", "合并：修改", date="2014-07-25")
    # then the person moves groups
    f.write_text(text.replace("group: shuhua", "group: sheying"), "utf-8")
    git(root, "commit", "-qam", "调整小组", date="2015-01-05")
    return root


def test_history_lists_each_change_with_date_and_fields_newest_first(repo):
    hist = read_history(repo)
    changes = hist.of("data/talents/T0AAAA1.yaml")
    assert [(c.date, c.kind) for c in changes] == [("2015-01-05", "修改"), ("2014-07-25", "修改"), ("2014-07-10", "新建")]
    merged = changes[1]
    assert merged.subject == "合并：修改"
    assert {fc.field for fc in merged.fields} == {"phone", "status", "registered"}
    lines = [describe(fc) for fc in merged.fields]
    assert "联系电话已更新" in lines
    assert "状态：待复核 → 已入库" in lines
    assert "入库日期：（空） → 2014-07-20" in lines
    assert not any("1398" in x or "1381" in x for x in lines)
    moved = describe(changes[0].fields[0], {"shuhua": "书画组", "sheying": "摄影组"}.get)
    assert moved == "所在小组：书画组（2014-07-01 起） → 摄影组（2014-07-01 起）"
    assert [c.subject for c in hist.commits] == ["调整小组", "合并：修改", "入库：第一批"]


def test_sensitive_fields_never_show_values():
    assert describe(FieldChange("phone", None, "13812345678")) == "联系电话已添加"
    assert describe(FieldChange("address", "杭州市西湖区北山街道12号", None)) == "家庭住址已删除"
    assert describe(FieldChange("fingerprint", "a" * 24, "b" * 24)) == "身份证指纹已更新"


def test_history_command_prints_dates_and_changes_not_authors(repo, capsys):
    assert main(["--root", str(repo), "history", "T0AAAA1"]) == 0
    out = capsys.readouterr().out
    assert "2014-07-25  修改  合并：修改" in out
    assert "联系电话已更新" in out
    assert "状态：待复核 → 已入库" in out
    assert "所在小组：书画组（2014-07-01 起） → 摄影组（2014-07-01 起）" in out
    assert "录入员甲" not in out and "13987654321" not in out


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
