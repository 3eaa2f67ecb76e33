"""Hours, star levels and the outstanding list on the tiny pool, checked by hand; the summary
figures; and the plan/activity/summary commands."""

from __future__ import annotations

import datetime as dt


from silverpool import figures
from silverpool.cli import main
from silverpool.loader import load_pool

D = dt.date


def test_hours_per_person_per_year_and_in_total(tiny_ro):
    pool = load_pool(tiny_ro)
    assert figures.hours_by_talent(pool) == {"T000001": 310, "T000002": 100, "T000003": 299.5, "T000005": 30, "T000006": 23.5,
                                              "T000007": 24, "T000008": 6}
    assert figures.hours_by_talent(pool, 2016) == {"T000001": 190, "T000003": 199.5, "T000008": 6}
    assert figures.hours_table(pool)["T000001"] == {2015: 120, 2016: 190}


def test_star_levels_at_the_thresholds(tiny_ro):
    pool = load_pool(tiny_ro)
    total = figures.hours_by_talent(pool)
    assert {t: figures.stars(pool, h) for t, h in total.items()} == {
        "T000001": 2, "T000002": 1, "T000003": 1, "T000005": 0, "T000006": 0, "T000007": 0, "T000008": 0}
    assert figures.next_star(pool, 299.5) == (1, 0.5)
    assert figures.next_star(pool, 1500) == (5, None)
    assert [figures.stars(pool, h) for h in (99.9, 100, 600, 999, 1000)] == [0, 1, 3, 3, 4]


def test_outstanding_list_by_the_stated_rule(tiny_ro):
    pool = load_pool(tiny_ro)
    # top 2 of 2015: 120, then the tie at 100 goes to the lower ID; the groups put forward
    # T000003 (100 h, in), T000007 (exactly 24 h, in) and T000006 (23.5 h, not enough)
    assert figures.outstanding(pool, 2015) == [("T000001", 120), ("T000002", 100), ("T000003", 100), ("T000007", 24)]
    assert figures.outstanding(pool, 2016) == [("T000003", 199.5), ("T000001", 190)]
    assert "不少于 24 小时" in figures.outstanding_rule(pool) and "前 2 名" in figures.outstanding_rule(pool)


def test_group_year_figures_and_closed_years(tiny_ro):
    pool = load_pool(tiny_ro)
    fig = figures.group_year(pool, "yiwei", 2015)
    assert (fig.planned, fig.held, fig.held_planned, fig.served, fig.hours) == (2, 5, 1, 50, 320)
    assert fig.active_members == {"T000001", "T000002", "T000003"}
    assert figures.closed_years(pool) == [2015]
    assert figures.closed_years(pool, D(2016, 12, 31)) == [2015]
    assert figures.closed_years(pool, D(2017, 1, 1)) == [2015, 2016]
    assert figures.closed_years(pool, D(2015, 6, 1)) == []


def test_hours_and_outstanding_commands(tiny_ro, capsys):
    assert main(["--root", str(tiny_ro), "hours"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "星级标准：★ 100 小时，★★ 300 小时，★★★ 600 小时，★★★★ 1000 小时，★★★★★ 1500 小时"
    assert out[2].split() == ["T000001", "甲一", "120", "190", "310", "★★", "还差", "290", "小时"]
    assert out[3].split()[:6] == ["T000003", "丙三", "100", "199.5", "299.5", "★"]
    assert out[-1] == "有服务时长的 7 人中：1 星 2 人，2 星 1 人，3 星 0 人，4 星 0 人，5 星 0 人。"
    assert main(["--root", str(tiny_ro), "outstanding", "--year", "2015"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("评选规则：当年服务时长不少于 24 小时者")
    assert [line.split()[1] for line in out[2:]] == ["T000001", "T000002", "T000003", "T000007"]
    assert out[4].endswith("（小组推荐）") and not out[2].endswith("（小组推荐）")


def test_summary_command_shows_computed_figures(tiny_ro, capsys):
    assert main(["--root", str(tiny_ro), "summary", "--year", "2015", "--group", "yiwei"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[2].split() == ["医卫组", "2", "5", "1", "50", "320", "3", "2015-01-12", "2015-12-20", "已提交"]
    assert "2015年医卫组总结。" in out


def test_plan_new_from_template_then_file(tiny, capsys):
    assert main(["--root", str(tiny), "plan", "new", "2017", "--submitted", "2017-01-08"]) == 0
    pool = load_pool(tiny)
    plan = pool.plans[("yiwei", 2017)]
    assert plan.submitted == D(2017, 1, 8) and plan.filed is None
    assert [(i.number, i.month, i.service) for i in plan.items] == [(1, 3, "义诊"), (2, 6, "义诊")]
    # a second run leaves existing plans alone
    assert main(["--root", str(tiny), "plan", "new", "2017"]) == 0
    assert "均已存在" in capsys.readouterr().out
    assert main(["--root", str(tiny), "plan", "file", "yiwei", "2017", "--date", "2017-01-03"]) == 2
    assert "早于报送日期 2017-01-08" in capsys.readouterr().err
    assert main(["--root", str(tiny), "plan", "file", "医卫组", "2017", "--date", "2017-01-15"]) == 0
    plan = load_pool(tiny).plans[("yiwei", 2017)]
    assert (plan.filed, plan.filed_by) == (D(2017, 1, 15), "市委老干部局活动教育处")
    assert main(["--root", str(tiny), "plan", "file", "yiwei", "2017", "--date", "2017-01-16"]) == 2
    assert "已于 2017-01-15 备案" in capsys.readouterr().err
    assert main(["--root", str(tiny), "check"]) == 0  # 2017 is the open year
    capsys.readouterr()
    assert main(["--root", str(tiny), "check", "--as-of", "2018-01-01"]) == 1
    out = capsys.readouterr().out
    assert "data/plans/2017/falv.yaml: filed: 法律组 2017 年计划未备案" in out
    assert "data/plans/2017/yiwei.yaml" not in out


def test_activity_new_checks_before_writing(tiny, capsys):
    args = ["--root", str(tiny), "activity", "new", "--title", "社区义诊", "--date", "2016-11-05", "--group", "yiwei",
            "--kind", "送服务", "--service", "义诊", "--domain", "医疗", "--place", "西湖区某社区", "--district", "西湖区",
            "--beneficiary", "社区", "--served", "30", "--plan-item", "2"]
    assert main(args + ["--person", "T000002:3", "--person", "T000005:2"]) == 2
    captured = capsys.readouterr()
    assert "戊五（T000005）在 2016-11-05 不是医卫组的成员" in captured.out and "未写入" in captured.err
    assert not (tiny / "data" / "activities" / "2016" / "A2016-011.yaml").exists()
    assert main(args + ["--person", "T000002:3"]) == 0
    a = load_pool(tiny).activities["A2016-011"]  # 2016 held ten records before
    assert [(p.talent, p.hours) for p in a.participants] == [("T000002", 3.0)] and a.plan_item == 2
    assert main(["--root", str(tiny), "check"]) == 0
