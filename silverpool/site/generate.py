"""Turn the pool into ordinary Markdown pages (plus the roster data) in a build folder.

The pages do not depend on mkdocs, so another generator could read them. Every value from the
data passes through `escape.md` (Jinja's `finalize`); only links and blocks built here are
marked safe. Figures come from `silverpool.figures`, history from `silverpool.history`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .. import figures
from ..history import History, Names, describe_change, describe_commit
from ..loader import Pool
from ..models import Activity, Talent
from .charts import bar_chart
from .escape import mask_phone, md, md_paragraphs, street_only

TEMPLATES = Path(__file__).parent / "templates"
AGE_BANDS = [(0, 60, "60岁以下"), (60, 65, "60–64岁"), (65, 70, "65–69岁"), (70, 75, "70–74岁"), (75, 80, "75–79岁"), (80, 200, "80岁及以上")]
STAR = "★"
YEAR_PAGE_ACTIVITIES = 200  # more in a year: one page per group and year, to keep pages small


def _cell(value) -> str:
    return "" if value is None else str(escape(value))  # escape() leaves Markup as it is


def html_table(head: list[str], rows: list[list]) -> Markup:
    """A table as one raw HTML block (Markdown passes it through untouched, which is much
    cheaper to build for 20,000 profiles than a Markdown table). Every cell is escaped."""
    out = ["<table><thead><tr>", *(f"<th>{_cell(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>")
    out.append("</tbody></table>")
    return Markup("".join(out))


def html_p(text) -> Markup:
    return Markup(f"<p>{_cell(text)}</p>")


def html_list(items: list) -> Markup:
    return Markup("<ul>" + "".join(f"<li>{_cell(i)}</li>" for i in items) + "</ul>")


def _finalize(value: object) -> object:
    if value is None:
        return ""
    return md(value)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        finalize=_finalize,
        autoescape=False,  # Markdown, not HTML: finalize escapes for Markdown instead
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["paras"] = md_paragraphs
    env.filters["html"] = lambda v: Markup(escape(v))
    return env


def age_on(birth: str, day: dt.date) -> int:
    y, m = int(birth[:4]), int(birth[5:7])
    return day.year - y - (day.month < m)


def age_band(age: int) -> str:
    return next(label for lo, hi, label in AGE_BANDS if lo <= age < hi)


@dataclass
class Site:
    """What the pages share: the pool, figures computed once, and link helpers."""

    pool: Pool
    history: History
    as_of: dt.date
    names: Names = field(init=False)
    hours: dict[str, float] = field(default_factory=dict)
    acts_of: dict[str, list[tuple[Activity, float, str | None]]] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)
    roles: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # leaders, team members

    def __post_init__(self) -> None:
        self.names = Names.of_pool(self.pool)
        for g in self.pool.groups.values():
            for ld in g.leaders:
                when = f"{ld.since} 起" + (f"，{ld.until} 止" if ld.until else "")
                self.roles.setdefault(ld.talent, []).append((g.id, ld.role, when))
            for team in g.teams:
                for tid in dict.fromkeys([*([team.leader] if team.leader else []), *team.members]):
                    self.roles.setdefault(tid, []).append((g.id, "小分队队长" if tid == team.leader else "小分队队员", team.name))
        self.hours = figures.hours_by_talent(self.pool)
        self.years = figures.years(self.pool)
        acts: dict[str, list] = defaultdict(list)
        for a in sorted(self.pool.activities.values(), key=lambda a: (a.date, a.id)):
            for p in a.participants:
                acts[p.talent].append((a, p.hours, p.role))
        self.acts_of = dict(acts)

    # --- links (Markup: built here, with the data inside escaped) ------------------------------
    def person(self, tid: str, base: str) -> Markup:
        t = self.pool.talents.get(tid)
        if t is None:
            return md(tid)
        return Markup(f"[{md(t.name)}]({base}people/{tid}.md)")

    def group(self, gid: str, base: str) -> Markup:
        if gid not in self.pool.groups:
            return md(gid)
        return Markup(f"[{md(self.pool.group_name(gid))}]({base}groups/{gid}.md)")

    def activity(self, a: Activity, base: str) -> Markup:
        return Markup(f"[{md(a.title)}]({base}activities/{a.date.year}/{a.id}.md)")

    # the same links inside raw HTML blocks (final .html addresses: Markdown does not touch them)
    def person_html(self, tid: str, base: str) -> Markup:
        t = self.pool.talents.get(tid)
        if t is None:
            return Markup(escape(tid))
        return Markup(f'<a href="{base}people/{tid}.html">{escape(t.name)}</a>')

    def group_html(self, gid: str, base: str) -> Markup:
        if gid not in self.pool.groups:
            return Markup(escape(gid))
        return Markup(f'<a href="{base}groups/{gid}.html">{escape(self.pool.group_name(gid))}</a>')

    def activity_html(self, a: Activity, base: str) -> Markup:
        return Markup(f'<a href="{base}activities/{a.date.year}/{a.id}.html">{escape(a.title)}</a>')

    def district(self, name: str | None) -> str:
        """Today's name; an old name is kept in brackets so the record is still recognisable."""
        if not name:
            return ""
        now = self.pool.current_district(name)
        full = self.pool.district(name)
        return now if full is None or full.name == now else f"{now}（原{full.name}）"

    def stars(self, hours: float) -> str:
        n = figures.stars(self.pool, hours)
        return STAR * n if n else "未达一星"


# --- pages --------------------------------------------------------------------------------------


def generate(pool: Pool, history: History, docs: Path, as_of: dt.date | None = None) -> dict[str, int]:
    """Write every page under `docs`; return counts of what was written."""
    site = Site(pool, history, as_of or dt.date.today())
    env = environment()
    env.globals.update(site=site, md=md)
    pages: dict[str, str] = {}

    def render(name: str, path: str, **ctx) -> None:
        base = "../" * path.count("/")
        pages[path] = env.get_template(name).render(base=base, **ctx)

    render("index.md.j2", "index.md", **home(site))
    render("groups.md.j2", "groups/index.md", groups=[group_ctx(site, g) for g in pool.groups.values()])
    for g in pool.groups.values():
        render("group.md.j2", f"groups/{g.id}.md", **group_ctx(site, g))
    render("roster.md.j2", "roster.md", count=len(pool.talents))
    person = env.get_template("person.md.j2")
    for t in pool.talents.values():
        pages[f"people/{t.id}.md"] = person.render(base="../", **person_ctx(site, t))
    activity = env.get_template("activity.md.j2")
    for a in pool.activities.values():
        pages[f"activities/{a.date.year}/{a.id}.md"] = activity.render(base="../../", **activity_ctx(site, a))
    render("activities.md.j2", "activities/index.md", years=[year_ctx(site, y) for y in site.years])
    for y in site.years:
        ctx = year_ctx(site, y)
        render("activities_year.md.j2", f"activities/{y}.md", **ctx)
        if ctx["split"]:  # a big year: each group's activities on a page of their own
            for r in ctx["rows"]:
                render("activities_group_year.md.j2", f"activities/{y}/{r['g'].id}.md", year=y, r=r)
        render("summary_year.md.j2", f"summaries/{y}.md", **summary_ctx(site, y))
    render("summaries.md.j2", "summaries/index.md", years=[summary_ctx(site, y) for y in site.years])
    render("intake.md.j2", "intake.md", **intake_ctx(site))
    render("changes.md.j2", "changes.md", **changes_ctx(site))

    for rel, text in pages.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    roster = roster_data(site)
    (docs / "data").mkdir(parents=True, exist_ok=True)
    # "<" as \u003c: the same data, but no "</script>" or tag can ever form in the file
    text = json.dumps(roster, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    (docs / "data" / "roster.json").write_text(text, "utf-8")
    # The same data as a script, for a site opened straight from the disk (file://), where
    # browsers refuse to fetch JSON.
    (docs / "data" / "roster.js").write_text(f"window.SILVERPOOL_ROSTER={text};\n", "utf-8")
    return {"pages": len(pages), "people": len(pool.talents), "activities": len(pool.activities)}


def nav(pool: Pool) -> list:
    """The navigation: everything but the person and activity pages (kept out for size)."""
    years = figures.years(pool)
    return [
        {"首页": "index.md"},
        {"小组": ["groups/index.md", *({g.name: f"groups/{g.id}.md"} for g in pool.groups.values())]},
        {"人才名录": "roster.md"},
        {"活动": ["activities/index.md", *({f"{y}年": f"activities/{y}.md"} for y in years)]},
        {"年度总结": ["summaries/index.md", *({f"{y}年": f"summaries/{y}.md"} for y in years)]},
        {"入库进度": "intake.md"},
        {"最近变更": "changes.md"},
    ]


def jieba_words(pool: Pool) -> list[str]:
    """Words jieba must keep whole in the search index: names, specialties, groups, places."""
    words = {t.name for t in pool.talents.values()}
    words.update(s for t in pool.talents.values() for s in t.specialties)
    words.update(g.name for g in pool.groups.values())
    words.update(d.name for d in pool.districts.values())
    return sorted(w for w in words if w and " " not in w and "\n" not in w)


def in_pool(t: Talent) -> bool:
    return t.status != "已退出"


def current_groups(t: Talent) -> list[str]:
    return [m.group for m in t.groups if m.until is None]


def home(site: Site) -> dict:
    pool = site.pool
    members = [t for t in pool.talents.values() if t.status == "已入库"]
    by_group = Counter(g for t in members for g in current_groups(t))
    by_district = Counter(pool.current_district(t.district) if t.district else "未填" for t in members)
    by_age = Counter(age_band(age_on(t.birth, site.as_of)) for t in members)
    by_channel = Counter((pool.units[t.source.unit].channel if t.source and t.source.unit in pool.units else "未注明") for t in members)
    year = site.years[-1] if site.years else None
    year_acts = sorted((a for a in pool.activities.values() if a.date.year == year), key=lambda a: (a.date, a.id))
    return {
        "config": pool.config,
        "status_counts": [(s, sum(1 for t in pool.talents.values() if t.status == s)) for s in ("已入库", "待复核", "已退出")],
        "total": len(pool.talents),
        "members": len(members),
        "charts": [
            bar_chart("各小组人数（已入库成员）", [(pool.group_name(g), by_group.get(g, 0)) for g in pool.groups]),
            bar_chart("居住区县（按现行区划）", by_district.most_common()),
            bar_chart("年龄段（截至 %s）" % site.as_of.isoformat(), [(label, by_age.get(label, 0)) for _, _, label in AGE_BANDS]),
            bar_chart("推荐渠道", by_channel.most_common()),
        ],
        "year": year,
        "year_acts": year_acts,
        "year_figures": [figures.group_year(pool, g, year) for g in pool.groups] if year else [],
        "year_hours": sum(figures.hours_by_talent(pool, year).values()) if year else 0,
    }


def group_ctx(site: Site, g) -> dict:
    pool = site.pool
    members = [t for t in pool.talents.values() if in_pool(t) and t.member_of(g.id)]
    years = []
    for y in reversed(site.years):
        fig = figures.group_year(pool, g.id, y)
        years.append({
            "year": y,
            "fig": fig,
            "plan": pool.plans.get((g.id, y)),
            "summary": pool.summaries.get((g.id, y)),
            "acts": [pool.activities[a] for a in fig.activities],
        })
    latest = site.years[-1] if site.years else None
    return {
        "g": g,
        "leaders": g.current_leaders(),
        "member_count": len(members),
        "registered_count": sum(1 for t in members if t.status == "已入库"),
        "years": years,
        "plan": pool.plans.get((g.id, latest)) if latest else None,
        "latest": latest,
    }


def person_ctx(site: Site, t: Talent) -> dict:
    pool = site.pool
    unit = pool.units.get(t.source.unit) if t.source else None
    rows = [
        ("编号", t.id), ("性别", t.gender), ("出生年月", t.birth), ("民族", t.ethnicity), ("政治面貌", t.political),
        ("文化程度", t.education), ("离退休类别", t.retirement_kind), ("离退休时间", t.retired),
        ("原工作单位", t.employer), ("原职务", t.post), ("职级", t.rank), ("专业技术职称", t.title),
        ("专业特长", "、".join(t.specialties)), ("兴趣爱好", "、".join(t.hobbies)), ("健康状况", t.fitness),
        ("居住区县", site.district(t.district)),
        ("家庭住址（至街道）", street_only(t.address, pool.district(t.district).name if t.district and pool.district(t.district) else t.district, pool.current_district(t.district) if t.district else None)),
        ("联系电话", mask_phone(t.phone)),
        ("选报小组", "、".join(pool.group_name(g) for g in t.groups_chosen)),
        ("可服务时间", t.availability), ("可提供的服务", t.services),
        ("本人确认", ("已签字" + (f"（{t.consent.date}）" if t.consent.date else "")) if t.consent.signed else "未签字"),
        ("状态", t.status), ("入库日期", t.registered), ("退出日期", t.withdrawn),
        ("推荐单位", (unit.name if unit else t.source.unit) if t.source else None),
        ("备注", t.remarks),
    ]
    base = "../"
    roles = [Markup("{}：{} 起{}").format(site.group_html(m.group, base), m.since, f"，{m.until} 止" if m.until else "") for m in t.groups]
    roles += [Markup("{}{}（{}）").format(site.group_html(gid, base), role, what) for gid, role, what in site.roles.get(t.id, [])]
    hours = site.hours.get(t.id, 0.0)
    acts = site.acts_of.get(t.id, [])
    changes = []
    for ch in site.history.of(f"data/talents/{t.id}.yaml"):
        changes.append(f"{ch.date}：{describe_change(ch, site.names)}")
    groups_now = current_groups(t)
    summary = "；".join(x for x in (
        "、".join(pool.group_name(g) for g in groups_now),
        pool.current_district(t.district) if t.district else "",
        ("专业特长：" + "、".join(t.specialties)) if t.specialties else "",
        t.title or "",
        t.status,
    ) if x)
    shown = [(k, v) for k, v in rows if v not in (None, "")]
    if len(shown) % 2:
        shown.append(("", ""))
    return {
        "t": t, "summary": summary,
        "info": html_table(["项目", "内容", "项目", "内容"], [[*shown[i], *shown[i + 1]] for i in range(0, len(shown), 2)]),
        "roles": html_list(roles) if roles else html_p("暂未分配小组。"),
        "service": html_p(f"累计服务 {hours:g} 小时，星级 {site.stars(hours)}。")
        + (html_table(["日期", "活动", "时长（小时）", "角色"], [[a.date, site.activity_html(a, base), f"{h:g}", role or ""] for a, h, role in acts]) if acts else html_p("暂无活动记录。")),
        "changes": html_list(changes) if changes else html_p("仓库历史中没有这份记录的变更。" if site.history.available else "本仓库没有 git 历史，无法显示变更记录。"),
    }


def activity_ctx(site: Site, a: Activity) -> dict:
    base = "../../"
    pool = site.pool
    groups = Markup("、").join(site.group_html(g, base) for g in a.groups)
    plan = (Markup('<a href="{}activities/{}.html">{} 年{}计划</a> 第 {} 项').format(base, a.date.year, a.date.year, pool.group_name(a.groups[0]), a.plan_item)
            if a.plan_item else "计划外活动")
    rows = [("编号", a.id), ("日期", f"{a.date} 至 {a.end_date}" if a.end_date else a.date), ("小组", groups),
            ("小分队", a.team), ("类别", f"{a.kind} · {a.service} · {a.domain}"),
            ("地点", f"{a.place}（{site.district(a.district)}）"), ("服务对象", a.beneficiary), ("服务人次", a.served),
            ("核实人", a.verified_by or "未填写"), ("计划", plan)]
    people = [[site.person_html(p.talent, base), f"{p.hours:g}", p.role or ""] for p in a.participants]
    total = sum(p.hours for p in a.participants)
    return {
        "a": a,
        "info": html_table(["项目", "内容"], [[k, v] for k, v in rows if v not in (None, "")]),
        "summary": "；".join(x for x in (str(a.date), "、".join(pool.group_name(g) for g in a.groups), a.place, f"{a.kind}·{a.service}") if x),
        "people": (html_table(["姓名", "时长（小时）", "角色"], people) + html_p(f"共 {len(people)} 人，{total:g} 小时。")) if people else html_p("没有登记参加人员。"),
    }


def plan_status(plan) -> str:
    if plan is None:
        return "未提交计划"
    if plan.filed:
        return f"已备案（{plan.filed}）"
    if plan.submitted:
        return f"已提交（{plan.submitted}），待备案"
    return "未提交计划"


def year_ctx(site: Site, year: int) -> dict:
    pool = site.pool
    rows = []
    for g in pool.groups.values():
        plan = pool.plans.get((g.id, year))
        fig = figures.group_year(pool, g.id, year)
        acts = [pool.activities[a] for a in fig.activities]
        done = {a.plan_item for a in acts if a.plan_item is not None and a.groups[0] == g.id}
        rows.append({"g": g, "plan": plan, "status": plan_status(plan), "fig": fig, "acts": acts, "done": done})
    count = sum(1 for a in pool.activities.values() if a.date.year == year)
    return {"year": year, "rows": rows, "count": count, "split": count > YEAR_PAGE_ACTIVITIES}


def summary_ctx(site: Site, year: int) -> dict:
    pool = site.pool
    day = dt.date(year, 12, 31)
    rows = []
    for g in pool.groups.values():
        fig = figures.group_year(pool, g.id, year)
        rows.append({"g": g, "fig": fig, "leaders": g.current_leaders(day), "summary": pool.summaries.get((g.id, year)), "plan": pool.plans.get((g.id, year))})
    idle = [r["g"] for r in rows if r["fig"].held == 0]
    return {
        "year": year, "rows": rows, "idle": idle,
        "outstanding": figures.outstanding(pool, year),
        "total_held": sum(1 for a in pool.activities.values() if a.date.year == year),
        "total_served": sum(a.served for a in pool.activities.values() if a.date.year == year),
        "total_hours": sum(figures.hours_by_talent(pool, year).values()),
    }


def intake_ctx(site: Site) -> dict:
    pool = site.pool
    by_unit: dict[str, list[Talent]] = defaultdict(list)
    for t in pool.talents.values():
        by_unit[t.source.unit if t.source else ""].append(t)
    phases = []
    for ph in sorted(pool.phases.values(), key=lambda p: p.number):
        deadline = ph.enter_by or ph.collect_by
        units = []
        for u in (u for u in pool.units.values() if u.phase == ph.number):
            people = by_unit.get(u.id, [])
            registered = [t for t in people if t.registered]
            units.append({
                "u": u, "submitted": len(people),
                "registered": sum(1 for t in people if t.status == "已入库"),
                "pending": sum(1 for t in people if t.status == "待复核"),
                "withdrawn": sum(1 for t in people if t.status == "已退出"),
                "on_time": sum(1 for t in registered if t.registered <= deadline),
                "late": sum(1 for t in registered if t.registered > deadline),
                "last": max((t.registered for t in registered), default=None),
            })
        totals = {k: sum(x[k] for x in units) for k in ("submitted", "registered", "pending", "withdrawn", "on_time", "late")}
        phases.append({"ph": ph, "deadline": deadline, "units": units, "totals": totals,
                       "silent": [x["u"] for x in units if x["submitted"] == 0]})
    return {"phases": phases, "unknown": len(by_unit.get("", [])), "total": len(pool.talents)}


def changes_ctx(site: Site, limit: int = 50) -> dict:
    """The latest commits that changed pool records, each said in Chinese from what it changed
    (commit messages are English and for developers; code-only commits are not pool changes)."""
    commits = []
    for c in site.history.commits:
        records = c.records
        if not records:
            continue
        talents = [ch for ch in records if ch.record == "talent"]
        people = [(ch.kind, Path(ch.path).stem) for ch in talents[:12]]
        commits.append({"date": c.date, "what": describe_commit(c, site.names), "people": people, "more": len(talents) - len(people)})
        if len(commits) == limit:
            break
    days = [{"date": d, "commits": [x for x in commits if x["date"] == d]} for d in dict.fromkeys(x["date"] for x in commits)]
    return {"days": days, "available": site.history.available}


def roster_data(site: Site) -> dict:
    """The whole roster, compact: one short row per person, group and status names once."""
    pool = site.pool
    statuses = ["已入库", "待复核", "已退出"]
    districts: list[str] = []
    dindex: dict[str, int] = {}
    people = []
    for t in pool.talents.values():
        d = pool.current_district(t.district) if t.district else ""
        if d not in dindex:
            dindex[d] = len(districts)
            districts.append(d)
        people.append([t.id, t.name, t.gender, int(t.birth[:4]), current_groups(t), dindex[d],
                       t.specialties, statuses.index(t.status), round(site.hours.get(t.id, 0.0), 1)])
    return {
        "fields": ["id", "name", "gender", "birth_year", "groups", "district", "specialties", "status", "hours"],
        "groups": {g.id: g.name for g in pool.groups.values()},
        "districts": districts,
        "statuses": statuses,
        "people": people,
    }
