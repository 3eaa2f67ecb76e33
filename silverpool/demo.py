"""A deterministic generator of a fictional pool: the demo shipped in data/, and pools of any
size for tests and the benchmark. Every name, number and address is made up."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

from . import yamlio
from .idcard import check_char, fingerprint, read_key
from .loader import load_pool
from .models import (
    TALENT_ALPHABET,
    Activity,
    Consent,
    Group,
    Leader,
    Membership,
    Participant,
    Plan,
    PlanItem,
    Source,
    Summary,
    Talent,
    Team,
)
from .textnorm import name_key

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "国华建明伟芳秀英文杰志强军平玉兰桂英敏静丽红海涛林峰春梅德福荣珍宝生祥永胜洪波云霞金凤立新振东和平晓光亚琴宏伟忠良淑贞美娟家树庆丰学礼雪松长青"

# The ten groups of the 2014 plan, with what each does.
GROUPS = [
    ("xuanjiang", "宣讲组", "宣讲党的方针政策、形势政策和杭州发展成就，讲好身边故事。", ["文化", "教育"]),
    ("bangjiao", "帮教组", "关心下一代，结对帮扶青少年，参与社区矫正和困难群众帮扶。", ["教育", "法律"]),
    ("keji", "科技组", "为企业和农村提供技术咨询、科普讲座和项目论证。", ["科技"]),
    ("yiwei", "医卫组", "进社区、下农村开展义诊和健康咨询，普及卫生保健知识。", ["医疗"]),
    ("shuhua", "书画组", "开展书画创作、展览和笔会，为群众写春联、教书画。", ["文化"]),
    ("sheying", "摄影组", "记录城乡发展变化，举办摄影展，辅导摄影爱好者。", ["文化"]),
    ("wenyi", "文艺组", "编排演出文艺节目，辅导社区文艺团队。", ["文化"]),
    ("shici", "诗词组", "诗词创作与吟诵，进校园讲授传统诗词。", ["文化", "教育"]),
    ("falv", "法律组", "提供法律咨询、人民调解和普法宣传。", ["法律"]),
    ("zonghe", "综合组", "承担调研、咨询和其他综合性公益服务。", ["综合"]),
]
SPECIALTIES = {
    "xuanjiang": ["形势政策宣讲", "党史宣讲", "理论研究"],
    "bangjiao": ["青少年教育", "社区矫正帮扶", "心理疏导"],
    "keji": ["水利工程", "农业技术", "电子信息", "机械制造", "城市规划"],
    "yiwei": ["中医内科", "心血管内科", "儿科", "护理", "营养保健"],
    "shuhua": ["书法", "国画", "篆刻", "油画"],
    "sheying": ["风光摄影", "人像摄影", "纪实摄影"],
    "wenyi": ["越剧", "合唱指挥", "器乐演奏", "舞蹈"],
    "shici": ["诗词创作", "古典文学", "楹联"],
    "falv": ["法律咨询", "民事调解", "劳动争议调解"],
    "zonghe": ["财务管理", "企业管理", "统计分析", "档案管理"],
}
SERVICE_OF = {
    "xuanjiang": ("送文化", "宣讲", "文化"), "bangjiao": ("送服务", "帮教", "教育"),
    "keji": ("送技艺", "技术咨询", "科技"), "yiwei": ("送服务", "义诊", "医疗"),
    "shuhua": ("送文化", "笔会", "文化"), "sheying": ("送文化", "展览", "文化"),
    "wenyi": ("送文化", "演出", "文化"), "shici": ("送文化", "讲座", "教育"),
    "falv": ("送服务", "法律咨询", "法律"), "zonghe": ("送服务", "调研", "综合"),
}
BENEFICIARY_PLACES = {
    "社区": ["{d}{s}社区", "{d}{s}社区文化家园"], "农村": ["{d}{s}村文化礼堂"],
    "学校": ["{d}{s}小学", "{d}{s}中学"], "企业": ["{d}{s}工业园"], "养老机构": ["{d}{s}敬老院"],
}
STREETS = {
    "上城区": ["湖滨", "清波", "小营", "紫阳"], "下城区": ["武林", "天水", "朝晖", "潮鸣"],
    "江干区": ["凯旋", "采荷", "四季青", "笕桥"], "拱墅区": ["米市巷", "湖墅", "小河", "大关"],
    "西湖区": ["北山", "文新", "翠苑", "西溪"], "滨江区": ["西兴", "长河", "浦沿"],
    "萧山区": ["城厢", "北干", "蜀山"], "余杭区": ["临平", "南苑", "东湖", "五常"],
    "富阳市": ["富春", "东洲"], "富阳区": ["富春", "东洲"], "桐庐县": ["桐君", "城南"],
    "淳安县": ["千岛湖", "文昌"], "建德市": ["新安江", "洋溪"], "临安市": ["锦城", "锦北"],
}
YEARS = (2014, 2015, 2016)
DEMO_KEY = Path("examples/demo-fingerprint.key")


def _district_on(rng: random.Random, day: dt.date, unit_district: str | None) -> str:
    if unit_district and rng.random() < 0.85:
        return unit_district
    names = [n for n in STREETS if n not in ("富阳区",)] if day < dt.date(2014, 12, 13) else [n for n in STREETS if n != "富阳市"]
    return rng.choice(names)


def _id_number(rng: random.Random, birth: dt.date, gender: str) -> str:
    area = rng.choice(["330102", "330103", "330104", "330105", "330106", "330108", "330109", "330110", "330122", "330127", "330182", "330183", "330185"])
    seq = rng.randrange(0, 100) * 10 + (rng.choice([1, 3, 5, 7, 9]) if gender == "男" else rng.choice([0, 2, 4, 6, 8]))
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + check_char(body)


def _unique_fingerprint(rng: random.Random, key: bytes, birth: dt.date, gender: str, seen: set[str]) -> str:
    """Made-up ID numbers can collide in a big pool; draw again until the person is unique."""
    while (fp := fingerprint(key, _id_number(rng, birth, gender))) in seen:
        pass
    seen.add(fp)
    return fp


def new_talent_id(rng: random.Random, taken: set[str]) -> str:
    while True:
        tid = "T" + "".join(rng.choice(TALENT_ALPHABET) for _ in range(6))
        if tid not in taken:
            taken.add(tid)
            return tid


def generate(root: Path, people: int = 300, activities: int | None = None, seed: int = 2014) -> dict[str, int]:
    """(Re)write the demo records under root/data, keeping its reference data and config."""
    rng = random.Random(seed)
    pool = load_pool(root)  # for the reference data
    key_path = root / (pool.config.demo_key if pool.config and pool.config.demo_key else DEMO_KEY)
    key = read_key(key_path)
    data = root / "data"
    for sub in ("talents", "groups", "activities", "plans", "summaries"):
        shutil.rmtree(data / sub, ignore_errors=True)
    units = list(pool.units.values())
    phase1 = [u for u in units if u.phase == 1]
    phase2 = [u for u in units if u.phase == 2]
    gids = [g[0] for g in GROUPS]
    fitness_ok = [f.level for f in pool.vocab.fitness if f.can_serve]
    v = pool.vocab

    taken: set[str] = set()
    seen_people: set[tuple[str, str, str]] = set()
    seen_fingerprints: set[str] = set()
    talents: list[Talent] = []
    for i in range(people):
        phase2_person = i >= people * 0.55
        unit = rng.choice(phase2 if phase2_person else phase1)
        registered = dt.date(2015, rng.randint(3, 9), rng.randint(1, 28)) if phase2_person else dt.date(2014, 7, rng.randint(10, 15))
        batch_day = registered - dt.timedelta(days=rng.randint(5, 30))
        while True:
            gender = rng.choice(["男", "男", "女"])
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))
            birth = dt.date(rng.randint(1928, 1958), rng.randint(1, 12), rng.randint(1, 28))
            k = (name_key(name), f"{birth:%Y-%m}", gender)
            if k not in seen_people:
                seen_people.add(k)
                break
        chosen = rng.sample(gids, rng.choice([1, 1, 2]))
        district = _district_on(rng, registered, unit.district)
        street = rng.choice(STREETS[district])
        specs = [rng.choice(SPECIALTIES[g]) for g in chosen]
        t = Talent(
            id=new_talent_id(rng, taken),
            name=name,
            gender=gender,
            birth=f"{birth:%Y-%m}",
            ethnicity=rng.choice(["汉族"] * 20 + ["回族", "满族", "畲族"]),
            political=rng.choice(["中共党员"] * 6 + ["群众", "民盟盟员", "九三学社社员", "民进会员"]),
            education=rng.choice(["大学", "大学", "大专", "中专", "硕士研究生", "高中"]),
            fingerprint=_unique_fingerprint(rng, key, birth, gender, seen_fingerprints),
            retirement_kind="离休" if birth.year < 1931 else "退休",
            retired=f"{min(birth.year + 60, 2014)}-{rng.randint(1, 12):02d}",
            employer=unit.name if unit.phase == 1 else f"{district}{rng.choice(['教育局', '卫生局', '司法局', '文化局', '农业局'])}",
            post=rng.choice(["科长", "处长", "主任", "副局长", "主任医师", "教师", "工程师"]),
            rank=rng.choice(v.rank[:8]),
            title=rng.choice([None, None, "高级工程师", "主任医师", "高级讲师", "副教授"]),
            specialties=sorted(set(specs)),
            hobbies=[rng.choice(["书法", "太极拳", "园艺", "摄影", "围棋", "旅游", "京剧"])],
            fitness=rng.choice(fitness_ok),
            district=district,
            address=f"杭州市{district}{street}街道{rng.randint(1, 200)}号",
            phone=f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}",
            groups_chosen=chosen,
            groups=[Membership(group=g, since=registered) for g in chosen],
            availability=rng.choice(["每周一天", "工作日上午", "周末", "不定期"]),
            services=rng.choice(["讲座", "咨询", "辅导", "展览", "演出"]),
            consent=Consent(signed=True, date=batch_day - dt.timedelta(days=rng.randint(1, 20))),
            status="已入库",
            registered=registered,
            source=Source(unit=unit.id, batch=f"{batch_day.isoformat()} {unit.name}", row=i % 60 + 1),
        )
        talents.append(t)

    # a few people left the pool in 2016
    leavers = set(rng.sample(range(len(talents)), max(1, people // 60)))
    by_group: dict[str, list[Talent]] = {g: [t for t in talents if t.member_of(g)] for g in gids}
    groups: list[Group] = []
    for gid, gname, desc, domains in GROUPS:
        first_year = [t for t in by_group[gid] if t.registered.year == 2014]
        members = first_year if len(first_year) >= 3 else by_group[gid]  # small pools
        leaders = rng.sample(members, 3) if len(members) >= 3 else members
        for ld in leaders:
            leavers.discard(talents.index(ld))
        team_members = rng.sample(members, min(len(members), rng.randint(4, 7)))
        teams = [Team(name=f"{gname[:2]}银色小分队", focus=rng.choice(SPECIALTIES[gid]), leader=team_members[0].id, members=[t.id for t in team_members], formed=dt.date(2014, 9, 1))] if team_members else []
        for t in team_members:
            leavers.discard(talents.index(t))
        groups.append(Group(
            id=gid, name=gname, order=gids.index(gid) + 1, description=desc, domains=domains, formed=dt.date(2014, 7, 15),
            leaders=[Leader(role=r, talent=t.id, since=max(dt.date(2014, 7, 15), t.registered)) for r, t in zip(["组长", "副组长", "副组长"], leaders)],
            teams=teams,
        ))
    for i in leavers:
        t = talents[i]
        day = dt.date(2016, rng.randint(1, 6), rng.randint(1, 28))
        t.status, t.withdrawn, t.withdraw_reason = "已退出", day, rng.choice(["身体原因", "迁居外地", "本人申请"])
        t.phone = t.address = None
        for m in t.groups:
            m.until = day

    # Everything below draws from its own random stream, so the people and groups above come
    # out identical whatever changes in the year's work.
    wrng = random.Random(f"{seed}-year's work")
    _adjust_memberships(wrng, talents, groups)
    plans, acts, summaries = _year_work(wrng, talents, groups, activities)
    files: dict[Path, str] = {}
    for t in talents:
        files[data / "talents" / f"{t.id}.yaml"] = yamlio.dump(t.to_data())
    for g in groups:
        files[data / "groups" / f"{g.id}.yaml"] = yamlio.dump(g.to_data())
    for a in acts:
        files[data / "activities" / str(a.date.year) / f"{a.id}.yaml"] = yamlio.dump(a.to_data())
    for p in plans:
        files[data / "plans" / str(p.year) / f"{p.group}.yaml"] = yamlio.dump(p.to_data())
    for s in summaries:
        files[data / "summaries" / str(s.year) / f"{s.group}.yaml"] = yamlio.dump(s.to_data())
    yamlio.write_all(files)
    return {"talents": len(talents), "groups": len(groups), "activities": len(acts), "plans": len(plans), "summaries": len(summaries)}


# --- the year's work: membership changes, plans, activities, summaries -----------------------

# What each group can offer besides its main service (kind, service, domain).
MORE_SERVICES = {
    "xuanjiang": [("送文化", "讲座", "教育")],
    "bangjiao": [("送服务", "辅导", "教育"), ("送服务", "调解", "法律")],
    "keji": [("送技艺", "讲座", "科技"), ("送技艺", "培训", "科技")],
    "yiwei": [("送服务", "健康咨询", "医疗"), ("送服务", "讲座", "医疗")],
    "shuhua": [("送文化", "展览", "文化"), ("送技艺", "辅导", "文化")],
    "sheying": [("送文化", "采风", "文化"), ("送技艺", "培训", "文化")],
    "wenyi": [("送技艺", "辅导", "文化")],
    "shici": [("送文化", "诗会", "文化")],
    "falv": [("送服务", "调解", "法律"), ("送文化", "讲座", "法律")],
    "zonghe": [("送服务", "技术咨询", "综合"), ("送服务", "培训", "综合")],
}
# Groups that keep a weekly service post in one place, recorded once a month per person
# (title, kind, service, domain, beneficiary).
REGULAR_POSTS = {
    "yiwei": ("社区健康服务站每周坐诊", "送服务", "义诊", "医疗", "社区"),
    "falv": ("社区法律服务点每周值班", "送服务", "法律咨询", "法律", "社区"),
    "bangjiao": ("青少年结对帮教（每周）", "送服务", "帮教", "教育", "学校"),
    "shuhua": ("社区书画辅导班（每周）", "送技艺", "辅导", "文化", "社区"),
}
HOURS_OF = {"义诊": (3, 6), "健康咨询": (2, 4), "演出": (3, 4), "调研": (4, 8), "采风": (4, 8), "技术咨询": (3, 6)}


def _adjust_memberships(rng: random.Random, talents: list[Talent], groups: list[Group]) -> None:
    """Groups are adjusted each year: a few people join a second group, a few move from one
    group to another. Kept as dated memberships (until on the old, since on the new)."""
    protected = {(ld.talent, g.id) for g in groups for ld in g.leaders}
    protected |= {(tid, g.id) for g in groups for team in g.teams for tid in team.members}
    gids = [g.id for g in groups]
    for year in (2015, 2016):
        pool = [t for t in talents if t.status == "已入库" and t.registered.year < year]
        for k, t in enumerate(rng.sample(pool, min(len(pool), max(2, len(talents) // 40)))):
            day = dt.date(year, 1, rng.randint(5, 25))
            current = [m for m in t.groups if m.until is None]
            others = [g for g in gids if not t.member_of(g)]
            if not others:
                continue
            new = rng.choice(others)
            movable = [m for m in current if (t.id, m.group) not in protected]
            if k % 2 and movable:  # moves: leaves one group the day they join the other
                movable[0].until = day
            t.groups.append(Membership(group=new, since=day))


def _year_work(rng: random.Random, talents: list[Talent], groups: list[Group], target: int | None):
    plans, acts, summaries = [], [], []
    busy: set[tuple[str, dt.date]] = set()  # nobody serves twice on one day
    core = {t for g in groups for team in g.teams for t in team.members} | {ld.talent for g in groups for ld in g.leaders}
    by_id = {g.id: g for g in groups}
    per_group_year = target // (len(groups) * len(YEARS)) if target is not None else None
    for year in YEARS:
        drafts = []  # (group ids, fields) before IDs are given in date order
        lo = 9 if year == 2014 else 2
        for g in groups:
            choices = [SERVICE_OF[g.id]] + MORE_SERVICES.get(g.id, [])
            n_items = rng.randint(2, 3) if year == 2014 else rng.randint(3, 5)
            months = sorted(rng.sample(range(lo, 13), min(n_items, 13 - lo)))
            items = []
            for n, month in enumerate(months, 1):
                kind, service, domain = choices[0] if n == 1 else rng.choice(choices)
                ben = rng.choice(list(BENEFICIARY_PLACES))
                district = _district_on(rng, dt.date(year, month, 1), None)
                items.append(PlanItem(number=n, month=month, title=f"{service}进{ben}（{district}）", kind=kind, service=service,
                                      domain=domain, place=district, beneficiary=ben))
            if g.id in REGULAR_POSTS:
                what, kind, service, domain, ben = REGULAR_POSTS[g.id]
                district = _district_on(rng, dt.date(year, lo, 1), None)
                items.append(PlanItem(number=len(items) + 1, month=lo, title=f"{what}（{district}，{lo}月起）", kind=kind,
                                      service=service, domain=domain, place=district, beneficiary=ben))
            first = dt.date(year, 8 if year == 2014 else 1, rng.randint(2, 20))
            plans.append(Plan(group=g.id, year=year, submitted=first, filed=first + dt.timedelta(days=rng.randint(3, 15)),
                              filed_by="市委老干部局活动教育处", items=items))
            planned = []
            for it in items:
                if it.title.startswith(REGULAR_POSTS.get(g.id, ("-",))[0]):
                    for month in range(lo, 13):
                        planned.append((it, month, True))
                    continue
                if rng.random() < 0.1 and len(items) > 2:
                    continue  # now and then a planned activity does not take place
                planned += [(it, it.month, False)] * rng.choice([1, 1, 2])
            extra = rng.randint(0, 2) if per_group_year is None else max(0, per_group_year - len(planned))
            for _ in range(extra):
                kind, service, domain = rng.choice(choices)
                ben = rng.choice(list(BENEFICIARY_PLACES))
                district = _district_on(rng, dt.date(year, 6, 1), None)
                planned.append((PlanItem(number=1, month=rng.randint(lo, 12), title="计划外", kind=kind, service=service, domain=domain,
                                         place=district, beneficiary=ben), None, False))
            post_place = None
            for it, month, regular in planned:
                month = month or it.month
                day = dt.date(year, month, 1 if regular else rng.randint(1, 28))
                district = _name_on(it.place, day) if it.place else _district_on(rng, day, None)
                if regular:
                    post_place = post_place or rng.choice(BENEFICIARY_PLACES[it.beneficiary]).format(d=district, s=rng.choice(STREETS[district]))
                    place = post_place.replace(it.place, district)
                else:
                    place = rng.choice(BENEFICIARY_PLACES[it.beneficiary]).format(d=district, s=rng.choice(STREETS[district]))
                drafts.append(dict(group=g, item=None if it.title == "计划外" else it, day=day, place=place, district=district,
                                   regular=regular, spec=(it.kind, it.service, it.domain, it.beneficiary)))
        # a joint event of the calligraphy and poetry groups at the turn of the year
        if "shuhua" in by_id and "shici" in by_id:
            sh = next(p for p in plans if p.group == "shuhua" and p.year == year)
            item = PlanItem(number=len(sh.items) + 1, month=12 if year == 2014 else 1, title="迎新春写春联、送诗词（与诗词组联合）",
                            kind="送文化", service="笔会", domain="文化", place="上城区", beneficiary="社区")
            sh.items.append(item)
            drafts.append(dict(group=by_id["shuhua"], also="shici", item=item, day=dt.date(year, item.month, rng.randint(10, 25)),
                               place=f"上城区{rng.choice(STREETS['上城区'])}社区文化家园", district="上城区", regular=False,
                               spec=(item.kind, item.service, item.domain, item.beneficiary)))
        year_acts = []
        # who ever belonged to each group, in pool order: scanning the whole pool per activity
        # made a 20,000-person demo take minutes
        members_of: dict[str, list[int]] = {g.id: [] for g in groups}
        for i, t in enumerate(talents):
            for gid in dict.fromkeys(m.group for m in t.groups):
                members_of.setdefault(gid, []).append(i)
        for d in sorted(drafts, key=lambda d: (d["day"], d["group"].id, d["place"])):
            it, day, g = d["item"], d["day"], d["group"]
            gids = [g.id] + ([d["also"]] if d.get("also") else [])
            kind, service, domain, ben = d["spec"]
            if d["regular"]:  # a month of weekly sessions; hours spread thinly over the month
                end = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
            else:  # an exhibition runs three days
                end = day + dt.timedelta(days=2) if service == "展览" else None
            days = [] if d["regular"] else [day + dt.timedelta(days=k) for k in range(((end or day) - day).days + 1)]
            candidates = members_of[gids[0]] if len(gids) == 1 else sorted({i for x in gids for i in members_of[x]})
            eligible = [t for t in (talents[i] for i in candidates) if any(t.member_of(x, day) for x in gids) and t.registered_on(day)
                        and all((t.id, x) not in busy for x in days) and (end is None or t.registered_on(end))]
            team = next((tm for tm in g.teams if d["regular"] and tm.members), None)
            if team is not None:
                eligible = [t for t in eligible if t.id in team.members] or eligible
            size = min(len(eligible), rng.randint(3, 5) if d["regular"] else rng.randint(2, 7))
            crew = _weighted_sample(rng, eligible, [6 if t.id in core else 1 for t in eligible], size)
            lo_h, hi_h = HOURS_OF.get(service, (2, 4))
            parts = []
            for t in sorted(crew, key=lambda t: t.id):
                if d["regular"]:
                    hours = float(rng.randint(2, 5) * rng.choice([3, 4]))  # sessions attended x hours each
                else:
                    hours = float(rng.randint(lo_h, hi_h)) * len(days)
                busy.update((t.id, x) for x in days)
                leader = next((ld for ld in g.current_leaders(day) if ld.talent == t.id), None)
                parts.append(Participant(talent=t.id, hours=min(hours, 24.0), role="带队" if leader else None))
            title = f"{d['place']}{service}活动" if not d["regular"] else f"{d['place']}{REGULAR_POSTS[g.id][0]}（{day.month}月）"
            if d.get("also"):
                title = f"{d['place']}迎新春写春联、送诗词"
            year_acts.append(dict(
                title=title, date=day, end_date=end, groups=gids, team=team.name if team else None, kind=kind, service=service,
                domain=domain, place=d["place"], district=d["district"], beneficiary=ben,
                served=rng.randint(15, 60) if d["regular"] else rng.randint(30, 400), participants=parts,
                verified_by=f"{d['place']}{rng.choice(SURNAMES)}主任", plan_item=it.number if it else None,
                description=f"{'、'.join(by_id[x].name for x in gids)}成员{len(parts)}人参加。" if parts else None,
            ))
        for seq, fields in enumerate(year_acts, 1):
            acts.append(Activity(id=f"A{year}-{seq:03d}", **fields))
        for g in groups:
            mine = [a for a in acts if a.date.year == year and g.id in a.groups]
            hours: dict[str, float] = {}
            for a in mine:
                for p in a.participants:
                    hours[p.talent] = hours.get(p.talent, 0) + p.hours
            top = sorted(hours, key=lambda t: (-hours[t], t))[:rng.choice([1, 2])]
            served = sum(a.served for a in mine)
            text = (f"{year}年，{g.name}制定年度活动计划并报活动教育处备案，全年开展活动 {len(mine)} 次，服务群众约 {served} 人次。"
                    f"\n成员们发挥专业特长，{rng.choice(['深入社区、农村和学校', '走进基层一线', '坚持常态化服务'])}，受到服务对象好评。"
                    f"\n{year + 1}年将{rng.choice(['进一步扩大服务覆盖面', '加强小分队建设', '吸收更多新成员参加活动'])}。")
            summaries.append(Summary(group=g.id, year=year, written=dt.date(year, 12, rng.randint(10, 28)), text=text, outstanding=top))
    return plans, acts, summaries


def _name_on(district: str, day: dt.date) -> str:
    """The district's name in force on that day (富阳 became a district on 2014-12-13)."""
    if district == "富阳市" and day >= dt.date(2014, 12, 13):
        return "富阳区"
    if district == "富阳区" and day < dt.date(2014, 12, 13):
        return "富阳市"
    return district


def _weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    items, weights, out = list(items), list(weights), []
    for _ in range(min(k, len(items))):
        i = rng.choices(range(len(items)), weights=weights)[0]
        out.append(items.pop(i))
        weights.pop(i)
    return out
