"""A tiny pool with known hours (built here, in tmp), and the year's-work rules of
`silverpool check`: each rule made to fail by one edit of a temporary copy."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path


from silverpool import yamlio
from silverpool.checks import run_checks
from silverpool.loader import load_pool
from silverpool.models import (
    Activity, Consent, Group, Leader, Membership, Participant, Plan, PlanItem, PoolConfig, Recognition, Summary, Talent,
)

REPO = Path(__file__).resolve().parent.parent
D = dt.date

# id: (name, group, registered, district, specialty, fitness)
PEOPLE = {
    "T000001": ("甲一", "yiwei", D(2014, 7, 10), "西湖区", "儿科", "良好"),
    "T000002": ("乙二", "yiwei", D(2014, 7, 10), "上城区", "儿科", "良好"),
    "T000003": ("丙三", "yiwei", D(2014, 7, 10), "西湖区", "中医内科", "良好"),
    "T000004": ("丁四", "yiwei", D(2014, 7, 10), "西湖区", "儿科", "较差"),
    "T000005": ("戊五", "falv", D(2014, 7, 10), "西湖区", "法律咨询", "良好"),
    "T000006": ("己六", "falv", D(2014, 7, 10), "拱墅区", "民事调解", "良好"),
    "T000007": ("庚七", "falv", D(2014, 7, 10), "拱墅区", "法律咨询", "一般"),
    "T000008": ("辛八", "falv", D(2014, 7, 10), "萧山区", "劳动争议调解", "良好"),
    "T000009": ("壬九", "yiwei", D(2016, 3, 1), "西湖区", "儿科", "良好"),
}
# Service hours by year, chosen for a hand check: stars at 100/300, the top-2 rule with a
# tie at 100 hours broken by ID, 24 hours exactly at the threshold, 23.5 just below it.
HOURS = {
    2015: {"T000001": 120, "T000002": 100, "T000003": 100, "T000005": 30, "T000006": 23.5, "T000007": 24},
    2016: {"T000001": 190, "T000003": 199.5, "T000008": 6},
}
PUT_FORWARD = {("yiwei", 2015): ["T000003"], ("falv", 2015): ["T000006", "T000007"]}


def month_end(year: int, month: int) -> dt.date:
    return (D(year, month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def build_pool(root: Path) -> Path:
    """Write the tiny pool under root/data, every file in canonical form."""
    data = root / "data"
    shutil.copytree(REPO / "data" / "reference", data / "reference")
    files: dict[Path, str] = {}
    cfg = PoolConfig(name="测试人才库", bureau="测试局",
                     recognition=Recognition(stars=[100, 300, 600, 1000, 1500], outstanding_min_hours=24, outstanding_top=2))
    files[data / "pool.yaml"] = yamlio.dump(cfg.to_data())
    for n, (tid, (name, g, reg, district, spec, fit)) in enumerate(PEOPLE.items()):
        t = Talent(id=tid, name=name, gender="男", birth=f"195{n}-0{n + 1}", fitness=fit, district=district, specialties=[spec],
                   phone=f"1390000000{n}", groups_chosen=[g], groups=[Membership(group=g, since=reg)],
                   consent=Consent(signed=True, date=reg), status="已入库", registered=reg)
        files[data / "talents" / f"{tid}.yaml"] = yamlio.dump(t.to_data())
    for gid, name, domain, leaders in (("yiwei", "医卫组", "医疗", ["T000001", "T000002", "T000003"]),
                                       ("falv", "法律组", "法律", ["T000005", "T000006", "T000007"])):
        g = Group(id=gid, name=name, order=1 if gid == "yiwei" else 2, description=f"{name}说明", domains=[domain], formed=D(2014, 7, 15),
                  leaders=[Leader(role=r, talent=t, since=D(2014, 7, 15)) for r, t in zip(["组长", "副组长", "副组长"], leaders)])
        files[data / "groups" / f"{gid}.yaml"] = yamlio.dump(g.to_data())
        service = {"yiwei": "义诊", "falv": "法律咨询"}[gid]
        for year in (2015, 2016):
            items = [PlanItem(number=k, month=k * 3, title=f"{service}进社区", kind="送服务", service=service, domain=domain,
                              beneficiary="社区") for k in (1, 2)]
            plan = Plan(group=gid, year=year, submitted=D(year, 1, 5), filed=D(year, 1, 12), filed_by="活动教育处", items=items)
            files[data / "plans" / str(year) / f"{gid}.yaml"] = yamlio.dump(plan.to_data())
            s = Summary(group=gid, year=year, written=D(year, 12, 20), text=f"{year}年{name}总结。",
                        outstanding=PUT_FORWARD.get((gid, year), []))
            files[data / "summaries" / str(year) / f"{gid}.yaml"] = yamlio.dump(s.to_data())
    # the hours as month-long service posts of at most 24 hours a person each
    for year, hours in HOURS.items():
        seq = 0
        for gid in ("yiwei", "falv"):
            left = {t: h for t, h in hours.items() if PEOPLE[t][1] == gid}
            month = 0
            while any(left.values()):
                month += 1
                parts = []
                for tid in sorted(left):
                    if left[tid] > 0:
                        h = min(24.0, left[tid])
                        parts.append(Participant(talent=tid, hours=h))
                        left[tid] -= h
                seq += 1
                a = Activity(id=f"A{year}-{seq:03d}", title=f"{gid}{month}月服务", date=D(year, month, 1), end_date=month_end(year, month),
                             groups=[gid], kind="送服务", service="义诊" if gid == "yiwei" else "法律咨询",
                             domain="医疗" if gid == "yiwei" else "法律", place="某社区", district="西湖区", beneficiary="社区",
                             served=10, participants=parts, verified_by="社区主任", plan_item=1 if month == 1 else None)
                files[data / "activities" / str(year) / f"{a.id}.yaml"] = yamlio.dump(a.to_data())
    yamlio.write_all(files)
    return root


def problems(root: Path, as_of: dt.date | None = None) -> list[str]:
    pool = load_pool(root)
    run_checks(pool, as_of)
    return sorted(p.text() for p in set(pool.problems))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def activity(root: Path, aid: str) -> Path:
    return root / "data" / "activities" / aid[1:5] / f"{aid}.yaml"


def write_activity(root: Path, a: Activity) -> Path:
    path = activity(root, a.id)
    yamlio.write_all({path: yamlio.dump(a.to_data())})
    return path


def one_day(aid: str, day: dt.date, group: str, *parts: tuple[str, float], plan_item: int | None = None) -> Activity:
    return Activity(id=aid, title="测试活动", date=day, groups=[group], kind="送服务", service="义诊", domain="医疗", place="某社区",
                    district="西湖区", beneficiary="社区", served=5, participants=[Participant(talent=t, hours=h) for t, h in parts],
                    plan_item=plan_item)


# --- the pools pass --------------------------------------------------------------------------


def test_tiny_pool_passes_with_and_without_as_of(tiny):
    assert problems(tiny) == []
    assert problems(tiny, D(2017, 1, 1)) == []


def test_demo_pool_passes_the_year_rules_and_keeps_membership_changes(pool_root):
    pool = load_pool(pool_root)
    assert {y for (_, y) in pool.plans} == {2014, 2015, 2016}
    assert len(pool.summaries) == 30 and len(pool.activities) > 200
    for as_of in (None, D(2017, 1, 1)):
        pool.problems.clear()
        run_checks(pool, as_of)
        assert pool.problems == [], (as_of, pool.problems[:3])
    # checked as of mid-2018, 2017 has closed with nothing recorded: each group is reported
    pool.problems.clear()
    run_checks(pool, D(2018, 6, 1))
    assert len(pool.problems) == 30 and all("2017 年" in p.message for p in pool.problems)
    # groups are adjusted between years: people moved (a membership ended) or joined another
    moved = [t for t in pool.talents.values() if t.status == "已入库" and any(m.until for m in t.groups)]
    joined = [t for t in pool.talents.values() if any(m.since.year in (2015, 2016) and m.since != t.registered for m in t.groups)]
    assert len(moved) >= 3 and len(joined) >= 6


# --- participants ----------------------------------------------------------------------------


def test_participant_not_yet_registered_fails(tiny):
    write_activity(tiny, one_day("A2016-101", D(2016, 2, 20), "yiwei", ("T000009", 3)))
    assert problems(tiny) == ["data/activities/2016/A2016-101.yaml: participants[0].talent: "
                              "壬九（T000009）在 2016-02-20 不是已入库人员（入库日期 2016-03-01），不能记为参与人员"]
    write_activity(tiny, one_day("A2016-101", D(2016, 3, 20), "yiwei", ("T000009", 3)))
    assert problems(tiny) == []


def test_participant_withdrawn_fails(tiny):
    p = tiny / "data" / "talents" / "T000008.yaml"
    edit(p, "status: 已入库", "status: 已退出")
    edit(p, "registered: 2014-07-10", "registered: 2014-07-10\nwithdrawn: 2016-01-01")
    text = p.read_text("utf-8")
    p.write_text("\n".join(x for x in text.splitlines() if not x.startswith("phone")) + "\n", "utf-8")
    edit(p, "since: 2014-07-10", "since: 2014-07-10\n    until: 2016-01-01")
    assert any("辛八（T000008）在 2016-01-01 不是已入库人员（已于 2016-01-01 退出）" in x for x in problems(tiny))


def test_participant_outside_the_groups_on_that_date_fails_and_a_dated_join_fixes_it(tiny):
    write_activity(tiny, one_day("A2016-101", D(2016, 7, 2), "yiwei", ("T000005", 3)))
    assert problems(tiny) == ["data/activities/2016/A2016-101.yaml: participants[0].talent: 戊五（T000005）在 2016-07-02 不是医卫组的成员："
                              "核对活动的 groups，或在 data/talents/T000005.yaml 的 groups 中补记入组日期"]
    # joined 医卫组 in June 2016: the July activity is fine, one in May is not
    edit(tiny / "data" / "talents" / "T000005.yaml", "    since: 2014-07-10\n", "    since: 2014-07-10\n  - group: yiwei\n    since: 2016-06-01\n")
    assert problems(tiny) == []
    write_activity(tiny, one_day("A2016-101", D(2016, 5, 2), "yiwei", ("T000005", 3)))
    assert len(problems(tiny)) == 1


def test_a_member_who_left_cannot_take_part_afterwards(tiny):
    edit(tiny / "data" / "talents" / "T000004.yaml", "since: 2014-07-10", "since: 2014-07-10\n    until: 2015-12-31")
    write_activity(tiny, one_day("A2016-101", D(2016, 1, 2), "yiwei", ("T000004", 2)))
    assert any("丁四（T000004）在 2016-01-02 不是医卫组的成员" in x for x in problems(tiny))


def test_overlapping_memberships_of_one_group_fail(tiny):
    edit(tiny / "data" / "talents" / "T000004.yaml", "    since: 2014-07-10\n", "    since: 2014-07-10\n  - group: yiwei\n    since: 2015-03-01\n")
    assert problems(tiny) == ["data/talents/T000004.yaml: groups[1]: yiwei 的成员资格与 groups[0] 时间重叠：离组请写 until，重新入组另起一条"]


# --- hours a day -----------------------------------------------------------------------------


def test_more_than_twelve_hours_on_one_day_across_activities_fails(tiny):
    write_activity(tiny, one_day("A2016-101", D(2016, 11, 2), "yiwei", ("T000002", 8)))
    write_activity(tiny, one_day("A2016-102", D(2016, 11, 2), "yiwei", ("T000002", 4)))
    assert problems(tiny) == []  # exactly 12 is allowed
    write_activity(tiny, one_day("A2016-102", D(2016, 11, 2), "yiwei", ("T000002", 5)))
    assert problems(tiny) == ["data/activities/2016/A2016-102.yaml: participants: 乙二（T000002）在 2016-11-02 共记 13 小时"
                              "（A2016-101、A2016-102），超过每天 12 小时：请核实时长"]


def test_hours_of_a_multi_day_activity_are_spread_over_its_days(tiny):
    a = one_day("A2016-101", D(2016, 11, 2), "yiwei", ("T000002", 20))
    write_activity(tiny, a)
    assert len(problems(tiny)) == 1
    a.end_date = D(2016, 11, 3)  # 10 hours a day
    write_activity(tiny, a)
    assert problems(tiny) == []


# --- dates and plan items ---------------------------------------------------------------------


def test_activity_in_the_wrong_year_folder_or_across_years_fails(tiny):
    src = activity(tiny, "A2016-001")
    (tiny / "data" / "activities" / "2015" / src.name).write_bytes(src.read_bytes())
    src.unlink()
    assert any("活动日期在 2016 年，却放在 2015/ 目录" in x for x in problems(tiny))
    a = one_day("A2016-101", D(2016, 12, 30), "yiwei", ("T000002", 4))
    a.end_date = D(2017, 1, 2)
    write_activity(tiny, a)
    assert "data/activities/2016/A2016-101.yaml: end_date: 活动跨年（2016-12-30 至 2017-01-02）：请按年度拆成两条记录" in problems(tiny)


def test_plan_item_must_exist_in_the_first_groups_plan(tiny):
    write_activity(tiny, one_day("A2016-101", D(2016, 11, 2), "yiwei", ("T000002", 2), plan_item=3))
    assert problems(tiny) == ["data/activities/2016/A2016-101.yaml: plan_item: 医卫组 2016 年计划中没有第 3 项（现有：1、2）"]
    write_activity(tiny, one_day("A2016-101", D(2016, 11, 2), "yiwei", ("T000002", 2), plan_item=2))
    assert problems(tiny) == []
    (tiny / "data" / "plans" / "2016" / "yiwei.yaml").unlink()
    assert any("医卫组没有 2016 年计划（data/plans/2016/yiwei.yaml），不能引用计划第 1 项" in x for x in problems(tiny))


# --- closed years -----------------------------------------------------------------------------


def test_closed_year_group_without_activity_fails(tiny):
    for p in (tiny / "data" / "activities" / "2015").glob("*.yaml"):
        if "falv" in p.read_text("utf-8"):
            p.unlink()
    assert problems(tiny) == ["data/groups/falv.yaml: 法律组 2015 年没有任何活动记录（每组每年至少参与一次活动）"]


def test_closed_year_plan_missing_or_not_filed_or_filed_late_fails(tiny):
    plan = tiny / "data" / "plans" / "2015" / "falv.yaml"
    edit(plan, "filed: 2015-01-12\n", "")
    assert problems(tiny) == ["data/plans/2015/falv.yaml: filed: 法律组 2015 年计划未备案：备案后运行 silverpool plan file falv 2015 --date 日期"]
    edit(plan, "submitted: 2015-01-05\n", "submitted: 2015-01-05\nfiled: 2016-01-03\n")
    assert problems(tiny) == ["data/plans/2015/falv.yaml: filed: 法律组 2015 年计划的备案日期 2016-01-03 晚于该年度"]
    edit(plan, "filed: 2016-01-03", "filed: 2014-12-20")
    edit(plan, "submitted: 2015-01-05", "submitted: 2014-12-10")
    assert problems(tiny) == []  # filed before the year is fine
    plan.unlink()
    assert "data/groups/falv.yaml: 法律组缺少 2015 年活动计划（data/plans/2015/falv.yaml）" in problems(tiny)


def test_closed_year_summary_missing_fails_and_as_of_decides_which_years_are_closed(tiny):
    (tiny / "data" / "summaries" / "2016" / "yiwei.yaml").unlink()
    # 2016 is the latest year in the data: open without --as-of, and until it has ended
    assert problems(tiny) == []
    assert problems(tiny, D(2016, 12, 31)) == []
    assert problems(tiny, D(2017, 1, 1)) == ["data/groups/yiwei.yaml: 医卫组缺少 2016 年年终总结（data/summaries/2016/yiwei.yaml）"]
    (tiny / "data" / "summaries" / "2015" / "falv.yaml").unlink()
    assert problems(tiny) == ["data/groups/falv.yaml: 法律组缺少 2015 年年终总结（data/summaries/2015/falv.yaml）"]
    assert problems(tiny, D(2015, 6, 1)) == []  # in mid-2015 nothing had closed yet


# --- the demo generator -----------------------------------------------------------------------


def test_small_demo_pools_pass(pool_root):
    from silverpool.demo import generate

    root = pool_root
    counts = generate(root, people=120, seed=7)
    assert counts["plans"] == 30 and counts["summaries"] == 30 and counts["activities"] > 100
    assert problems(root) == [] and problems(root, D(2017, 1, 1)) == []
