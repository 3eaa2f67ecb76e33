"""退出: a person leaves the pool. The record stays (history), contact details go."""

from __future__ import annotations

import datetime as dt

from . import yamlio
from .loader import Pool


class WithdrawError(Exception):
    pass


def withdraw(pool: Pool, talent_id: str, day: dt.date, reason: str | None) -> list[str]:
    """Mark the person withdrawn, strip phone and address, end memberships, leaderships and
    small-team places. Returns notices for the maintainer (leaderships to fill)."""
    t = pool.talents.get(talent_id)
    if t is None:
        raise WithdrawError(f"找不到人员 {talent_id}（data/talents/{talent_id}.yaml 不存在）")
    if t.status == "已退出":
        raise WithdrawError(f"{t.name}（{t.id}）已于 {t.withdrawn} 退出，无需重复操作")
    if t.registered and day < t.registered:
        raise WithdrawError(f"退出日期 {day} 早于入库日期 {t.registered}")
    later = sorted(a.id for a in pool.activities.values() if a.date >= day and any(p.talent == t.id for p in a.participants))
    if later:
        raise WithdrawError(f"{t.name}（{t.id}）在 {day} 及以后仍参加了活动 {'、'.join(later[:5])}"
                            f"{' 等' if len(later) > 5 else ''}：退出日期应晚于最后一次活动，请核实")
    t.status, t.withdrawn, t.withdraw_reason = "已退出", day, reason
    t.phone = t.address = None
    for m in t.groups:
        if m.until is None:
            m.until = max(day, m.since)
    files = {pool.file_of(t): yamlio.dump(t.to_data())}
    notices = []
    for g in pool.groups.values():
        changed = False
        for ld in g.leaders:
            if ld.talent == t.id and ld.until is None:
                ld.until = max(day, ld.since)
                changed = True
                notices.append(f"{g.name}的{ld.role}空缺：请在 data/groups/{g.id}.yaml 的 leaders 中另选一名成员担任")
        for team in g.teams:
            if t.id in team.members:
                team.members.remove(t.id)
                changed = True
            if team.leader == t.id:
                team.leader = None
                notices.append(f"{g.name}“{team.name}”的队长空缺：请在 data/groups/{g.id}.yaml 中另选")
        if changed:
            files[pool.file_of(g)] = yamlio.dump(g.to_data())
    yamlio.write_all(files)
    return notices
