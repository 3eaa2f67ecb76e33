"""Figures computed from the records: service hours, star levels, outstanding contributors,
and per-group yearly numbers. One place for each, used by the site, exports and summaries."""

from __future__ import annotations

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
