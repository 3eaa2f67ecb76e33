"""Figures computed from the records: service hours, star levels, outstanding contributors,
and per-group yearly numbers. One place for each, used by the site, exports and summaries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from .loader import Pool


def hours_by_talent(pool: Pool, year: int | None = None) -> dict[str, float]:
    """Volunteer service hours per person, in one year or in all years."""
    out: dict[str, float] = defaultdict(float)
    for a in pool.activities.values():
        if year is None or a.date.year == year:
            for p in a.participants:
                out[p.talent] += p.hours
    return dict(out)


def stars(pool: Pool, hours: float) -> int:
    """Star level 0-5 from total hours (thresholds in data/pool.yaml, 100/300/600/1000/1500)."""
    thresholds = pool.config.recognition.stars if pool.config else [100, 300, 600, 1000, 1500]
    return sum(1 for t in thresholds if hours >= t)


def outstanding(pool: Pool, year: int) -> list[tuple[str, float]]:
    """The year's outstanding contributors by the stated rule: at least `outstanding_min_hours`
    in the year, ranked by hours (ties by ID for a stable list), the first `outstanding_top`,
    plus anyone a group's summary puts forward who also meets the hours."""
    rule = pool.config.recognition if pool.config else None
    min_hours = rule.outstanding_min_hours if rule else 24
    top = rule.outstanding_top if rule else 10
    hours = hours_by_talent(pool, year)
    ranked = sorted(((h, tid) for tid, h in hours.items() if h >= min_hours), key=lambda x: (-x[0], x[1]))
    chosen = {tid for _, tid in ranked[:top]}
    for (gid, y), s in pool.summaries.items():
        if y == year:
            chosen.update(t for t in s.outstanding if hours.get(t, 0) >= min_hours)
    return sorted(((tid, hours[tid]) for tid in chosen), key=lambda x: (-x[1], x[0]))


@dataclass
class GroupYear:
    group: str
    year: int
    planned: int = 0
    held: int = 0
    held_planned: int = 0  # activities that fulfil a plan item
    served: int = 0
    hours: float = 0.0
    active_members: set[str] = field(default_factory=set)
    activities: list[str] = field(default_factory=list)


def group_year(pool: Pool, group: str, year: int) -> GroupYear:
    fig = GroupYear(group, year)
    plan = pool.plans.get((group, year))
    fig.planned = len(plan.items) if plan else 0
    for a in sorted(pool.activities.values(), key=lambda a: (a.date, a.id)):
        if a.date.year != year or group not in a.groups:
            continue
        fig.held += 1
        fig.held_planned += a.plan_item is not None and a.groups[0] == group
        fig.served += a.served
        fig.hours += sum(p.hours for p in a.participants)
        fig.active_members.update(p.talent for p in a.participants)
        fig.activities.append(a.id)
    return fig


def years(pool: Pool) -> list[int]:
    """Every year that has a plan, an activity or a summary."""
    ys = {a.date.year for a in pool.activities.values()}
    ys.update(y for _, y in pool.plans)
    ys.update(y for _, y in pool.summaries)
    return sorted(ys)


# --- added for the year's work (plans, records, recognition) --------------------------------


def activity_end(a) -> dt.date:
    """The last day of an activity, clipped to Dec 31 of its year: an activity never spans
    years (a rule reports one that does), and a typo like 9999-12-31 must not make millions
    of days."""
    end = a.end_date or a.date
    return min(max(end, a.date), dt.date(a.date.year, 12, 31))


def activity_days(a) -> int:
    """Days an activity spans (a multi-day exhibition counts its hours spread over them)."""
    return (activity_end(a) - a.date).days + 1


def daily_hours(pool: Pool) -> dict[tuple[str, "dt.date"], tuple[float, list[str]]]:
    """Hours per (person, day) across all activities, with the activities behind them (each
    named once, even if it lists the person twice)."""
    out: dict[tuple[str, dt.date], tuple[float, list[str]]] = {}
    for a in sorted(pool.activities.values(), key=lambda a: a.id):
        n = activity_days(a)
        for p in a.participants:
            for k in range(n):
                day = a.date + dt.timedelta(days=k)
                h, ids = out.get((p.talent, day), (0.0, []))
                out[(p.talent, day)] = (h + p.hours / n, ids if a.id in ids else ids + [a.id])
    return out


def hours_table(pool: Pool) -> dict[str, dict[int, float]]:
    """Each person's service hours per year (only years with hours)."""
    out: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for a in pool.activities.values():
        for p in a.participants:
            out[p.talent][a.date.year] += p.hours
    return {tid: dict(ys) for tid, ys in out.items()}


def star_thresholds(pool: Pool) -> list[int]:
    return list(pool.config.recognition.stars) if pool.config else [100, 300, 600, 1000, 1500]


def next_star(pool: Pool, hours: float) -> tuple[int, float | None]:
    """(current star level, hours still needed for the next level or None at the top)."""
    level = stars(pool, hours)
    th = star_thresholds(pool)
    return level, (th[level] - hours if level < len(th) else None)


def outstanding_rule(pool: Pool) -> str:
    """The rule of `outstanding`, in words, for every list that shows it."""
    rule = pool.config.recognition if pool.config else None
    min_hours = rule.outstanding_min_hours if rule else 24
    top = rule.outstanding_top if rule else 10
    return (f"评选规则：当年服务时长不少于 {min_hours:g} 小时者，按当年时长从多到少取前 {top} 名"
            f"（时长相同按人员编号）；各组年终总结推荐的人员，当年时长达到 {min_hours:g} 小时的也列入。")


def recent_hours(pool: Pool, day: "dt.date", days: int = 365) -> dict[str, float]:
    """Hours each person served in the `days` before `day` (how busy they already are)."""
    # near 0001-01-01 the subtraction would overflow: start at the first date there is
    start = day - dt.timedelta(days=days) if day.toordinal() > days else dt.date.min
    out: dict[str, float] = defaultdict(float)
    for a in pool.activities.values():
        if start <= a.date < day:
            for p in a.participants:
                out[p.talent] += p.hours
    return dict(out)


def closed_years(pool: Pool, as_of: "dt.date | None" = None) -> list[int]:
    """Years whose work must be complete (plans filed, activities held, summaries written).
    Without a date: every year before the latest year in the data, so the answer never
    depends on today's date; with `as_of`: the years that ended before it."""
    ys = years(pool)
    if as_of is None:
        return [y for y in ys if ys and y < ys[-1]]
    first = ys[0] if ys else as_of.year
    return [y for y in range(first, as_of.year) if dt.date(y, 12, 31) < as_of]


def group_existed(group, year: int) -> bool:
    return group.formed is None or group.formed.year <= year
