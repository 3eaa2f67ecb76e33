"""`silverpool check` on the shipped pool, and each kind of error made in a temporary copy."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from silverpool.cli import main
from silverpool.idcard import check_char
from silverpool.loader import load_pool


def run_check(root: Path, capsys, *extra: str) -> tuple[int, list[str]]:
    code = main(["--root", str(root), "check", *extra])
    out = capsys.readouterr().out
    return code, [line for line in out.splitlines() if line]


def first_talent(root: Path) -> Path:
    return sorted((root / "data" / "talents").glob("*.yaml"))[0]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), "utf-8")


def test_shipped_pool_passes(capsys):
    repo = Path(__file__).resolve().parent.parent
    code, lines = run_check(repo, capsys)
    assert (code, lines) == (0, [])


def test_yaml_syntax_error(pool_root, capsys):
    p = first_talent(pool_root)
    p.write_text(p.read_text("utf-8").replace("gender:", "gender: [", 1), "utf-8")
    code, lines = run_check(pool_root, capsys)
    assert code == 1
    assert any(line.startswith(f"data/talents/{p.name}: YAML 语法错误") for line in lines), lines


def test_wrong_type_unknown_field_and_all_problems_in_one_run(pool_root, capsys):
    a, b = sorted((pool_root / "data" / "talents").glob("*.yaml"))[:2]
    edit(a, "status: 已入库", "status: 已入库\nhobby_typo: 钓鱼")
    edit(b, "consent:\n  signed: true", "consent:\n  signed: 也许")
    code, lines = run_check(pool_root, capsys)
    assert code == 1
    assert f"data/talents/{a.name}: hobby_typo: 未知字段（拼写错误？此类记录没有这个字段），请删除或改正" in lines
    assert any(line.startswith(f"data/talents/{b.name}: consent.signed: 应为 true 或 false") for line in lines), lines


def test_unknown_group_names_the_choices(pool_root, capsys):
    p = first_talent(pool_root)
    text = p.read_text("utf-8")
    first_group = re.search(r"groups_chosen:\n  - (\w+)", text).group(1)
    edit(p, f"groups_chosen:\n  - {first_group}", f"groups_chosen:\n  - {first_group}\n  - qipai")
    code, lines = run_check(pool_root, capsys)
    assert code == 1
    assert any(line.startswith(f"data/talents/{p.name}: groups_chosen[1]: 未知小组 \"qipai\"（可选：xuanjiang 宣讲组") for line in lines), lines


def test_dangling_reference_and_leader_rules(pool_root, capsys):
    g = pool_root / "data" / "groups" / "xuanjiang.yaml"
    text = g.read_text("utf-8")
    leader = re.search(r"role: 组长\n    talent: (T\w+)", text).group(1)
    edit(g, f"role: 组长\n    talent: {leader}", "role: 组长\n    talent: TZZZZZZ")
    code, lines = run_check(pool_root, capsys)
    assert code == 1
    assert "data/groups/xuanjiang.yaml: leaders[0].talent: 找不到人员 TZZZZZZ（data/talents/TZZZZZZ.yaml 不存在）" in lines


def test_group_needs_one_head_and_two_deputies_who_are_members(pool_root, capsys):
    g = pool_root / "data" / "groups" / "keji.yaml"
    edit(g, "role: 副组长", "role: 组长")
    # make some other talent, not a member of keji, a deputy
    pool = load_pool(pool_root)
    outsider = next(t for t in pool.talents.values() if not t.member_of("keji") and t.status == "已入库")
    text = g.read_text("utf-8")
    deputy = re.search(r"role: 副组长\n    talent: (T\w+)", text).group(1)
    edit(g, f"role: 副组长\n    talent: {deputy}", f"role: 副组长\n    talent: {outsider.id}")
    code, lines = run_check(pool_root, capsys)
    assert code == 1
    assert "data/groups/keji.yaml: leaders: 科技组应有 1 名组长和 2 名副组长，现有组长 2 名、副组长 1 名" in lines
    assert any(f"{outsider.name}（{outsider.id}）不是科技组的成员" in line for line in lines), lines


def test_duplicate_person_by_fingerprint_and_by_name_birth_gender(pool_root, capsys):
    talents = sorted((pool_root / "data" / "talents").glob("*.yaml"))
    src = talents[0].read_text("utf-8")
    twin = pool_root / "data" / "talents" / "TZZZZZ1.yaml"
    twin.write_text(re.sub(r"^id: T\w+", "id: TZZZZZ1", src, count=1, flags=re.M), "utf-8")
    code, lines = run_check(pool_root, capsys)
    assert code == 1
    assert any(line.startswith("data/talents/TZZZZZ1.yaml: fingerprint: 与 ") and "身份证号相同" in line for line in lines), lines
    # same name, birth month and gender without fingerprints: a suspected duplicate
    twin.write_text(re.sub(r"^fingerprint: .*\n", "", twin.read_text("utf-8"), flags=re.M), "utf-8")
    code, lines = run_check(pool_root, capsys)
    assert code == 1
    assert any(line.startswith("data/talents/TZZZZZ1.yaml: name: 与 ") and "疑似同一人" in line for line in lines), lines


def test_confirmed_distinct_pair_is_not_reported(pool_root, capsys):
    talents = sorted((pool_root / "data" / "talents").glob("*.yaml"))
    src = talents[0].read_text("utf-8")
    first_id = re.search(r"^id: (T\w+)", src, flags=re.M).group(1)
    twin = pool_root / "data" / "talents" / "TZZZZZ1.yaml"
    text = re.sub(r"^id: T\w+", "id: TZZZZZ1", src, count=1, flags=re.M)
    twin.write_text(re.sub(r"^fingerprint: .*", "fingerprint: " + "a" * 24, text, count=1, flags=re.M), "utf-8")
    code, lines = run_check(pool_root, capsys)
    assert code == 1 and any("身份证号不同" in line for line in lines)
    (pool_root / "data/reference/distinct.yaml").write_text(
        f"pairs:\n  - a: {first_id}\n    b: TZZZZZ1\n    confirmed: 2015-01-05\n    note: 同名同月生，两人\n", "utf-8")
    assert run_check(pool_root, capsys) == (0, [])


def test_full_id_number_anywhere_under_data_fails(pool_root, capsys):
    body = "33010619500312301"
    p = first_talent(pool_root)
    edit(p, "status: 已入库", f"remarks: 身份证{body}{check_char(body)}\nstatus: 已入库")
    code, lines = run_check(pool_root, capsys)
    assert code == 1
    assert any(line.startswith(f"data/talents/{p.name}: 第 ") and "完整身份证号" in line for line in lines), lines


def test_non_canonical_file_fails_check(pool_root, capsys):
    p = first_talent(pool_root)
    text = p.read_text("utf-8")
    lines_ = text.splitlines(keepends=True)
    lines_[1], lines_[2] = lines_[2], lines_[1]  # swap name and gender
    p.write_text("".join(lines_), "utf-8")
    code, lines = run_check(pool_root, capsys)
    assert (code, lines) == (1, [f"data/talents/{p.name}: 文件不是规范格式（字段顺序、引号或缩进）：运行 silverpool fmt 修正"])


def test_github_format_points_at_the_line(pool_root, capsys):
    p = first_talent(pool_root)
    text = p.read_text("utf-8")
    line_no = text.splitlines().index(next(line for line in text.splitlines() if line.startswith("birth:"))) + 1
    edit(p, 'birth: "', 'birth: "19')
    code, lines = run_check(pool_root, capsys, "--format", "github")
    assert code == 1
    assert any(line.startswith(f"::error file=data/talents/{p.name},line={line_no}::birth: 格式不对") for line in lines), lines


def test_garbage_file_gives_one_line_not_a_traceback(pool_root):
    p = first_talent(pool_root)
    p.write_bytes(b"\xff\xfe\x00garbage")
    out = subprocess.run([sys.executable, "-m", "silverpool", "--root", str(pool_root), "check"], capture_output=True, text=True)
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr
    assert f"data/talents/{p.name}: 不是 UTF-8 编码" in out.stdout


def test_filename_must_match_id(pool_root, capsys):
    p = first_talent(pool_root)
    p.rename(p.with_name("TZZZZZ9.yaml"))
    code, lines = run_check(pool_root, capsys)
    assert code == 1
    assert any(line.startswith("data/talents/TZZZZZ9.yaml: id: 文件名应与编号一致") for line in lines), lines


def test_old_district_name_is_valid_for_old_records_only(pool_root, capsys):
    pool = load_pool(pool_root)
    t = next(t for t in pool.talents.values() if t.registered and t.registered.year == 2015 and t.district)
    p = pool.file_of(t)
    edit(p, f"district: {t.district}", "district: 富阳市")  # became 富阳区 in Dec 2014
    code, lines = run_check(pool_root, capsys)
    assert code == 1
    assert any(f"data/talents/{p.name}: district: 区县名 \"富阳市\" 在 " in line and "富阳区" in line for line in lines), lines


@pytest.mark.parametrize("text,message", [
    ("registered: 2014-02-30", "日期 2014-02-30 不存在"),
    ("registered: 2014-07-15\nregistered: 2014-07-16", "字段 registered 出现了两次"),
])
def test_bad_dates_and_duplicate_keys_are_reported_with_their_line(pool_root, capsys, text, message):
    p = first_talent(pool_root)
    body = re.sub(r"^registered: .*$", text, p.read_text("utf-8"), count=1, flags=re.M)
    p.write_text(body, "utf-8")
    code, lines = run_check(pool_root, capsys)
    assert code == 1
    assert any(line.startswith(f"data/talents/{p.name}: 第 ") and message in line for line in lines), lines


def test_an_alias_bomb_is_refused_at_once(pool_root, capsys):
    p = first_talent(pool_root)
    bomb = "".join(f"  - &a{i} [{', '.join([f'*a{i-1}' if i else 'lol'] * 9)}]\n" for i in range(10))
    p.write_text(p.read_text("utf-8").replace("hobbies:\n", "hobbies:\n" + bomb, 1), "utf-8")
    code, lines = run_check(pool_root, capsys)
    assert code == 1
    assert any(f"data/talents/{p.name}: 第 " in line and "不允许使用锚点和别名" in line for line in lines), lines


def test_strict_types_refuse_yaml_guesses(pool_root, capsys):
    p = first_talent(pool_root)
    edit(p, "consent:\n  signed: true", "consent:\n  signed: 1")
    code, lines = run_check(pool_root, capsys)
    assert any(line.startswith(f"data/talents/{p.name}: consent.signed: 应为 true 或 false，现为 1") for line in lines), lines


@pytest.mark.parametrize("written", ["330106 19500312 301{c}", "330106-19500312-301{c}", "330106500312301"])
def test_id_numbers_split_or_first_generation_are_found(pool_root, capsys, written):
    body = "33010619500312301"
    p = first_talent(pool_root)
    edit(p, "status: 已入库", f"remarks: 身份证 {written.format(c=check_char(body))}\nstatus: 已入库")
    code, lines = run_check(pool_root, capsys)
    assert any("完整身份证号" in line for line in lines), lines


def test_stray_files_and_symlinks_are_reported(pool_root, capsys, tmp_path):
    talent = first_talent(pool_root)
    (pool_root / "data" / "talent").mkdir()
    (pool_root / "data" / "talent" / "T0000AA.yaml").write_text("id: T0000AA\n", "utf-8")
    outside = tmp_path / "outside.yaml"
    outside.write_text("secret: 1\n", "utf-8")
    (pool_root / "data" / "talents" / "TLINK00.yaml").symlink_to(outside)
    code, lines = run_check(pool_root, capsys)
    assert code == 1
    assert any(line.startswith("data/talent/T0000AA.yaml: 不在规定位置的文件") for line in lines), lines
    assert any(line.startswith("data/talents/TLINK00.yaml: ") and "符号链接" in line for line in lines), lines
    assert not any("secret" in line for line in lines)
    assert talent.exists()


def test_github_annotation_cannot_be_injected_through_a_file_name():
    from silverpool.problems import Problem

    line = Problem("data/talents/a\n::warning file=x::y,line=1.yaml", "", "坏").github()
    assert "\n" not in line and line.count("::") == 2
    assert line.startswith("::error file=data/talents/a%0A%3A%3Awarning file=x%3A%3Ay%2Cline=1.yaml::")


def test_group_names_are_unique_and_activity_teams_exist(pool_root, capsys):
    edit(pool_root / "data" / "groups" / "keji.yaml", "name: 科技组", "name: 医卫组")
    a = sorted((pool_root / "data" / "activities" / "2015").glob("*.yaml"))[0]
    edit(a, "kind:", "team: 不存在的小分队\nkind:")
    code, lines = run_check(pool_root, capsys)
    assert code == 1
    assert any(line.startswith("data/groups/") and "小组名称“医卫组”与" in line for line in lines), lines
    assert any(line.startswith(f"data/activities/2015/{a.name}: team: 未知小分队“不存在的小分队”") for line in lines), lines
