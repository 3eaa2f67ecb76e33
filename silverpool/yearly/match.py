"""Matching a need (点单): what a community or school asks for → fitting registered people,
nearest and least busy first, each with the reasons they fit (派单 is then the maintainer's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .. import figures
from ..loader import Pool
from ..models import Talent
from ..textnorm import name_key

BUSY_DAYS = 365  # "how busy" = hours served in the year before the requested date


@dataclass
class Need:
    domain: str | None = None
    words: list[str] = field(default_factory=list)
    district: str | None = None
    day: dt.date | None = None


@dataclass
class Fit:
    talent: Talent
    groups: list[str]
    same_district: bool
    recent_hours: float
    matched_words: list[str]
    reasons: list[str]


def _fields(t: Talent) -> list[tuple[str, str]]:
    out = [("专业特长", s) for s in t.specialties]
    out += [("专业技术职称", t.title)] if t.title else []
    out += [("可提供的服务", t.services)] if t.services else []
    out += [("原职务", t.post)] if t.post else []
    out += [("兴趣爱好", h) for h in t.hobbies]
    return out


def match(pool: Pool, need: Need) -> tuple[list[Fit], int]:
    """(fitting people in order, how many fitting people were left out as already busy that day)."""
    day = need.day
    assert day is not None
    can_serve = pool.fitness_levels()
    want_district = pool.current_district(need.district) if need.district else None
    recent = figures.recent_hours(pool, day, BUSY_DAYS)
    booked = {tid for a in pool.activities.values() if a.date <= day <= (a.end_date or a.date) for tid in (p.talent for p in a.participants)}
    words = [w for w in (name_key(w) for w in need.words) if w]
    fits, skipped = [], 0
    for t in pool.talents.values():
        if not t.registered_on(day) or not can_serve.get(t.fitness, True):
            continue
        groups = [m.group for m in t.groups if m.active_on(day)]
        reasons = []
        matched = []
        for w in words:
            hit = next(((label, text) for label, text in _fields(t) if w in name_key(text)), None)
            if hit:
                matched.append(w)
                reasons.append(f"{hit[0]}“{hit[1]}”" + (f"含“{w}”" if name_key(hit[1]) != w else ""))
        domain_groups = [g for g in groups if need.domain and need.domain in pool.groups[g].domains] if need.domain else []
        if domain_groups:
            reasons.append(f"所在{'、'.join(pool.group_name(g) for g in domain_groups)}服务{need.domain}领域")
        # with specialty words asked, a word must match; otherwise the domain must
        if (words and not matched) or (not words and not domain_groups):
            continue
        if t.id in booked:
            skipped += 1
            continue
        same = want_district is not None and t.district is not None and pool.current_district(t.district) == want_district
        if want_district:
            reasons.append(f"同在{t.district}" if same else f"居住{t.district or '区县不详'}")
        hours = recent.get(t.id, 0.0)
        reasons.append(f"此前一年服务 {hours:g} 小时")
        fits.append(Fit(t, groups, same, hours, matched, reasons))
    fits.sort(key=lambda f: (not f.same_district, f.recent_hours, -len(f.matched_words), f.talent.id))
    return fits, skipped
