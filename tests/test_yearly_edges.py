"""Edge cases of the year's-work commands found by an adversarial tester: each answer is one
Chinese line (no pydantic text, no traceback), and nothing on disk is overwritten."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

import pytest

from silverpool import figures, yamlio
from silverpool.checks import run_checks
from silverpool.cli import main
from silverpool.loader import load_pool
from silverpool.models import Team
from tests.test_yearly_pool import one_day, write_activity

D = dt.date
NEW = ["activity", "new", "--title", "社区义诊", "--date", "2016-11-05", "--group", "yiwei", "--kind", "送服务", "--service", "义诊",
       "--domain", "医疗", "--place", "西湖区某社区", "--district", "西湖区", "--beneficiary", "社区", "--served", "30"]


def run(root: Path, *argv: str) -> int:
    return main(["--root", str(root), *argv])


def new_activity(root: Path, *extra: str) -> int:
    return run(root, *NEW, *extra)


def error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and "pydantic" not in err and "validation error" not in err, err
    return err.strip().splitlines()[-1]


# --- activity new ------------------------------------------------------------------------------


def test_activity_new_never_overwrites_a_file_that_failed_to_load(tiny, capsys):
    # 2016 holds A2016-001..010; A2016-011 is on disk but broken, so the loader skips it
    broken = tiny / "data" / "activities" / "2016" / "A2016-011.yaml"
    broken.write_text("id: A2016-011\ntitle: [未写完\n", "utf-8")
    assert "A2016-011" not in load_pool(tiny).activities
    assert new_activity(tiny, "--person", "T000002:3") == 0
    assert "已记录活动 A2016-012" in capsys.readouterr().out
    assert broken.read_text("utf-8") == "id: A2016-011\ntitle: [未写完\n"
    assert load_pool(tiny).activities["A2016-012"].participants[0].talent == "T000002"


def test_activity_new_field_errors_are_chinese_and_name_the_option(tiny, capsys):
    before = sorted((tiny / "data" / "activities" / "2016").iterdir())
    args = list(NEW)
    args[args.index("--served") + 1] = "-5"
    args[args.index("--title") + 1] = ""
    assert run(tiny, *args) == 2
    assert error_line(capsys) == "错误：活动记录有误，未写入：--title：不能为空；--served：应不小于 0，现为 -5"
    assert new_activity(tiny, "--end-date", "2016-11-01") == 2
    assert error_line(capsys) == "错误：--end-date 2016-11-01 早于 --date 2016-11-05：结束日期应不早于开始日期"
    assert sorted((tiny / "data" / "activities" / "2016").iterdir()) == before


@pytest.mark.parametrize("hours", ["30", "0", "-2", "nan", "inf"])
def test_person_hours_out_of_range_says_so(tiny, capsys, hours):
    with pytest.raises(SystemExit):
        new_activity(tiny, "--person", f"T000002:{hours}")
    assert "T000002 的服务时长应大于 0 小时、不超过 24 小时" in capsys.readouterr().err


def test_person_format_and_lower_case_ids(tiny, capsys):
    with pytest.raises(SystemExit):
        new_activity(tiny, "--person", "T000002")
    assert "参与人员应写作 编号:小时" in capsys.readouterr().err
    assert new_activity(tiny, "--person", " t000002 :2.5") == 0
    a = load_pool(tiny).activities["A2016-011"]
    assert [(p.talent, p.hours) for p in a.participants] == [("T000002", 2.5)]


def test_team_must_be_one_of_the_groups_teams(tiny, capsys):
    assert new_activity(tiny, "--team", "不存在的小分队") == 2
    assert error_line(capsys) == "错误：--team \"不存在的小分队\" 不是医卫组的银色小分队（可选：无；不属于小分队的活动不写 --team）"
    pool = load_pool(tiny)
    g = pool.groups["yiwei"]
    g.teams = [Team(name="儿科小分队", leader="T000002", members=["T000002", "T000009"])]
    yamlio.write_all({pool.file_of(g): yamlio.dump(g.to_data())})
    assert new_activity(tiny, "--team", "不存在的小分队") == 2
    assert "（可选：儿科小分队；" in error_line(capsys)
    assert new_activity(tiny, "--team", "儿科小分队", "--person", "T000002:2") == 0
    assert load_pool(tiny).activities["A2016-011"].team == "儿科小分队"


# --- plans -------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["-5", "99999", "1999"])
def test_plan_new_refuses_impossible_years(tiny, capsys, year):
    assert run(tiny, "plan", "new", year) == 2
    assert error_line(capsys) == f"错误：年度 {year} 不在 2000–2100 之间，请写四位年份，如 2017"


def test_plan_new_refuses_a_submitted_date_after_the_year(tiny, capsys):
    assert run(tiny, "plan", "new", "2017", "--submitted", "2019-01-01") == 2
    assert error_line(capsys) == "错误：报送日期 2019-01-01 晚于 2017 年：年度计划应在当年或之前报送，否则无法备案"
    assert not (tiny / "data" / "plans" / "2017").exists()
    assert run(tiny, "plan", "new", "2017", "--submitted", "2016-12-28") == 0  # before the year is fine
    assert load_pool(tiny).plans[("falv", 2017)].submitted == D(2016, 12, 28)


def test_plan_new_skips_groups_not_yet_formed(tiny, capsys):
    # both groups were formed 2014-07-15
    assert run(tiny, "plan", "new", "2013") == 2
    assert error_line(capsys) == "错误：2013 年还没有已成立的小组（最早的小组成立于 2014-07-15），不建立计划"
    assert not (tiny / "data" / "plans" / "2013").exists()
    g = tiny / "data" / "groups" / "falv.yaml"
    g.write_text(g.read_text("utf-8").replace("formed: 2014-07-15", "formed: 2017-03-01"), "utf-8")
    assert run(tiny, "plan", "new", "2017", "--group", "falv") == 0  # formed during 2017: it plans 2017
    assert run(tiny, "plan", "new", "2014", "--group", "falv") == 2
    assert "法律组成立于 2017-03-01，2014 年尚未成立" in error_line(capsys)
    (tiny / "data" / "plans" / "2015" / "yiwei.yaml").unlink()
    (tiny / "data" / "plans" / "2015" / "falv.yaml").unlink()
    assert run(tiny, "plan", "new", "2015") == 0
    assert sorted(p.name for p in (tiny / "data" / "plans" / "2015").iterdir()) == ["yiwei.yaml"]


def test_plan_new_on_a_pool_without_groups(tiny, capsys):
    shutil.rmtree(tiny / "data" / "groups")
    assert run(tiny, "plan", "new", "2017") == 2
    assert error_line(capsys) == "错误：数据中还没有任何小组（data/groups/ 为空），无法建立计划；请先建立小组"


# --- figures -----------------------------------------------------------------------------------


def test_daily_hours_of_an_activity_ending_in_year_9999_stay_in_its_year(tiny):
    a = one_day("A2016-101", D(2016, 12, 1), "yiwei", ("T000002", 6.2))
    a.end_date = D(9999, 12, 31)
    write_activity(tiny, a)
    pool = load_pool(tiny)
    started = time.perf_counter()
    days = {day for (tid, day), _ in figures.daily_hours(pool).items() if tid == "T000002" and day >= D(2016, 12, 1)}
    assert time.perf_counter() - started < 5
    assert min(days) == D(2016, 12, 1) and max(days) == D(2016, 12, 31) and len(days) == 31
    assert figures.daily_hours(pool)[("T000002", D(2016, 12, 5))] == (pytest.approx(0.2), ["A2016-101"])
    run_checks(pool)
    assert [p.message for p in pool.problems] == ["活动跨年（2016-12-01 至 9999-12-31）：请按年度拆成两条记录"]


def test_twelve_hour_message_names_an_activity_once(tiny):
    write_activity(tiny, one_day("A2016-101", D(2016, 11, 2), "yiwei", ("T000002", 8), ("T000002", 5)))
    pool = load_pool(tiny)
    assert figures.daily_hours(pool)[("T000002", D(2016, 11, 2))] == (13.0, ["A2016-101"])
    run_checks(pool)
    over = [p.message for p in pool.problems if "超过每天 12 小时" in p.message]
    assert over == ["乙二（T000002）在 2016-11-02 共记 13 小时（A2016-101），超过每天 12 小时：请核实时长"]


def test_recent_hours_near_the_first_date(tiny_ro):
    pool = load_pool(tiny_ro)
    assert figures.recent_hours(pool, D(1, 1, 1)) == {}
    assert figures.recent_hours(pool, D(1, 6, 1)) == {}


# --- numbers on the command line ---------------------------------------------------------------


def test_year_zero_is_a_year_not_a_missing_option(tiny_ro, capsys):
    assert run(tiny_ro, "activity", "list", "--year", "0") == 0
    assert capsys.readouterr().out.strip() == "0 年共 0 项活动。"
    assert run(tiny_ro, "summary", "--year", "0") == 2
    assert error_line(capsys) == "错误：0 年没有任何计划、活动或总结记录（有记录的年度：2015、2016）"
    assert run(tiny_ro, "outstanding", "--year", "0") == 2
    assert "0 年没有任何计划、活动或总结记录" in error_line(capsys)
    assert run(tiny_ro, "hours", "--year", "0") == 2
    assert "0 年没有任何计划、活动或总结记录" in error_line(capsys)


def test_summary_of_a_year_without_data(tiny_ro, capsys):
    assert run(tiny_ro, "summary", "--year", "1900") == 2
    assert error_line(capsys) == "错误：1900 年没有任何计划、活动或总结记录（有记录的年度：2015、2016）"


@pytest.mark.parametrize("top", ["0", "-3"])
def test_hours_top_must_be_at_least_one(tiny_ro, capsys, top):
    assert run(tiny_ro, "hours", "--top", top) == 2
    assert error_line(capsys) == f"错误：--top 应为不小于 1 的整数（收到 {top}）"


def test_hours_top_one_and_lower_case_talent(tiny_ro, capsys):
    assert run(tiny_ro, "hours", "--top", "1") == 0
    rows = [x for x in capsys.readouterr().out.splitlines() if x.startswith("T0")]
    assert [r.split()[0] for r in rows] == ["T000001"]  # 310 hours, the most
    assert run(tiny_ro, "hours", "--talent", " t000003 ") == 0
    rows = [x for x in capsys.readouterr().out.splitlines() if x.startswith("T0")]
    assert rows[0].split()[:5] == ["T000003", "丙三", "100", "199.5", "299.5"]
