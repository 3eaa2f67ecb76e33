"""The records of the pool, one pydantic model per kind of YAML file.

Models check the shape of one file. Rules that need other files (references, vocabularies,
leaders being members, duplicates) live in `checks.py`. Field order here is the key order of the
canonical YAML form.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

# Stable ASCII identifiers. Talent IDs are random (Crockford base32), never derived from
# personal data, so two intakes on separate branches cannot collide in practice.
TALENT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TalentId = Annotated[str, StringConstraints(pattern=r"^T[0-9A-HJKMNP-TV-Z]{6}$")]
GroupId = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,20}$")]
ActivityId = Annotated[str, StringConstraints(pattern=r"^A\d{4}-\d{3,4}$")]
UnitId = Annotated[str, StringConstraints(pattern=r"^U\d{3}$")]
Month = Annotated[str, StringConstraints(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$")]
# no control characters (a NUL or an escape code in a name breaks file names and terminals);
# free text may hold line breaks
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=r"^[^\x00-\x09\x0b-\x1f\x7f]*$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[^\x00-\x1f\x7f]+$")]
Phone = Annotated[str, StringConstraints(pattern=r"^(1\d{10}|0\d{2,3}-\d{7,8})$")]
Fingerprint = Annotated[str, StringConstraints(pattern=r"^[a-z2-7]{24}$")]
Hours = Annotated[float, Field(gt=0, le=24)]

STATUSES = ("待复核", "已入库", "已退出")
Status = Literal["待复核", "已入库", "已退出"]


class Record(BaseModel):
    # strict: YAML's true, 7.0 or a datetime must not quietly become 1, 7 or a date
    model_config = ConfigDict(extra="forbid", strict=True)

    def to_data(self) -> dict[str, Any]:
        """Plain data in field order, without empty values: what the YAML file holds. Read
        straight from the fields: it runs for every file of a check and every new person."""
        out = {}
        values = self.__dict__
        for name in type(self).model_fields:
            v = values[name]
            if isinstance(v, BaseModel):
                v = v.to_data()
            elif type(v) is list:
                v = [x.to_data() if isinstance(x, BaseModel) else x for x in v]
            if v is None or v == [] or v == "" or v == {}:
                continue
            out[name] = v
        return out


# --- talents ----------------------------------------------------------------------------------


class Consent(Record):
    """本人确认: the signed form. Required to enter the pool."""

    signed: bool
    date: dt.date | None = None


class Membership(Record):
    """Membership of an activity group; groups are adjusted yearly, so it has dates."""

    group: GroupId
    since: dt.date
    until: dt.date | None = None

    @model_validator(mode="after")
    def _order(self) -> Membership:
        if self.until is not None and self.until < self.since:
            raise ValueError("until 早于 since")
        return self

    def active_on(self, day: dt.date) -> bool:
        return self.since <= day and (self.until is None or day < self.until)


class Source(Record):
    """Where the record came from: the unit's submission and its row number (序号)."""

    unit: UnitId
    batch: Text
    row: int | None = None


class Talent(Record):
    id: TalentId
    name: Name
    name_variants: list[Name] = []  # other spellings seen at intake (traditional, spaces)
    gender: Literal["男", "女"]
    birth: Month
    ethnicity: str | None = None  # 民族
    political: str | None = None  # 政治面貌
    education: str | None = None  # 文化程度
    fingerprint: Fingerprint | None = None  # keyed hash of the ID number; the number itself never
    retirement_kind: Literal["离休", "退休"] | None = None
    retired: Month | None = None  # 离退休时间
    employer: str | None = None  # 原工作单位
    post: str | None = None  # 原职务
    rank: str | None = None  # 职级
    title: str | None = None  # 专业技术职称
    specialties: list[Text] = []  # 专业特长
    hobbies: list[Text] = []  # 兴趣爱好
    fitness: str  # 健康状况, as a coarse fitness-to-serve level only
    district: str | None = None  # 居住区县, as written at the time (old names stay valid)
    address: str | None = None  # 家庭住址; removed on withdrawal, shown to street level only
    phone: Phone | None = None  # 联系电话; removed on withdrawal, masked on the site
    groups_chosen: list[GroupId] = []  # 选报小组
    groups: list[Membership] = []  # actual memberships
    availability: str | None = None  # 可服务时间
    services: str | None = None  # 可提供的服务
    consent: Consent
    status: Status
    registered: dt.date | None = None
    withdrawn: dt.date | None = None
    withdraw_reason: str | None = None
    source: Source | None = None
    remarks: str | None = None

    @model_validator(mode="after")
    def _dates(self) -> Talent:
        born = int(self.birth[:4])
        if self.retired is not None and self.retired <= self.birth:
            raise ValueError(f"离退休时间 {self.retired} 不晚于出生年月 {self.birth}")
        if self.registered is not None and self.registered.year - born < 40:
            raise ValueError(f"出生年月 {self.birth} 与入库日期 {self.registered} 不符（入库时不足 40 岁，不像离退休干部）")
        return self

    @model_validator(mode="after")
    def _status_rules(self) -> Talent:
        if not self.consent.signed:
            raise ValueError("未经本人确认（consent.signed 为 false）的人员不能入库")
        if self.status == "已入库" and self.registered is None:
            raise ValueError("状态为已入库时必须有 registered（入库日期）")
        if self.status == "已退出":
            if self.withdrawn is None:
                raise ValueError("状态为已退出时必须有 withdrawn（退出日期）")
            if self.phone or self.address:
                raise ValueError("已退出人员不应再保留联系电话和家庭住址")
        elif self.withdrawn is not None:
            raise ValueError(f"状态为{self.status}，却有 withdrawn（退出日期）")
        return self

    def member_of(self, group: str, day: dt.date | None = None) -> bool:
        return any(m.group == group and (m.until is None if day is None else m.active_on(day)) for m in self.groups)

    def registered_on(self, day: dt.date) -> bool:
        """Was this person a registered member of the pool on that day?"""
        if self.registered is None or self.registered > day:
            return False
        return self.withdrawn is None or day < self.withdrawn


# --- groups -----------------------------------------------------------------------------------


class Leader(Record):
    role: Literal["组长", "副组长"]
    talent: TalentId
    since: dt.date
    until: dt.date | None = None


class Team(Record):
    """银色小分队: a small team inside a group."""

    name: Name
    focus: str | None = None
    leader: TalentId | None = None
    members: list[TalentId] = []
    formed: dt.date | None = None


class Group(Record):
    id: GroupId
    name: Name
    order: int = Field(ge=1)  # display order, as the 2014 plan lists the groups
    description: Text
    domains: list[str] = []
    formed: dt.date | None = None
    leaders: list[Leader] = []
    teams: list[Team] = []

    def current_leaders(self, day: dt.date | None = None) -> list[Leader]:
        if day is None:
            return [x for x in self.leaders if x.until is None]
        return [x for x in self.leaders if x.since <= day and (x.until is None or day < x.until)]


# --- the year's work --------------------------------------------------------------------------


class PlanItem(Record):
    number: int = Field(ge=1)
    month: int = Field(ge=1, le=12)
    title: Text
    kind: str  # 送技艺 / 送服务 / 送文化
    service: str  # 讲座, 义诊, 法律咨询 …
    domain: str  # 文化, 医疗, 教育, 科技, 法律 …
    place: str | None = None
    beneficiary: str | None = None  # 社区, 农村, 学校, 企业 …


class Plan(Record):
    """A group's annual plan, filed (备案) with the bureau's 活动教育处."""

    group: GroupId
    year: int = Field(ge=2000, le=2100)
    submitted: dt.date | None = None
    filed: dt.date | None = None
    filed_by: str | None = None
    items: list[PlanItem] = []


class Participant(Record):
    talent: TalentId
    hours: Hours
    role: str | None = None


class Activity(Record):
    id: ActivityId
    title: Text
    date: dt.date
    end_date: dt.date | None = None
    groups: list[GroupId] = Field(min_length=1)
    team: str | None = None
    kind: str
    service: str
    domain: str
    place: Text
    district: str
    beneficiary: str
    served: int = Field(ge=0)  # people served
    participants: list[Participant] = []
    verified_by: str | None = None
    plan_item: int | None = None  # item number in the plan of groups[0] for this year
    description: str | None = None

    @model_validator(mode="after")
    def _dates(self) -> Activity:
        if self.end_date is not None and self.end_date < self.date:
            raise ValueError("end_date 早于 date")
        if not self.id.startswith(f"A{self.date.year}-"):
            raise ValueError(f"编号 {self.id} 与活动年份 {self.date.year} 不符")
        return self


class Summary(Record):
    """A group's year-end summary: written text; figures are computed from the records."""

    group: GroupId
    year: int = Field(ge=2000, le=2100)
    written: dt.date
    text: Text
    outstanding: list[TalentId] = []  # contributors the group puts forward


# --- reference data ---------------------------------------------------------------------------


class Unit(Record):
    """A 主管单位 that sends submissions."""

    id: UnitId
    name: Name
    aliases: list[Name] = []
    channel: str
    phase: int = Field(ge=1)
    district: str | None = None


class District(Record):
    name: Name  # full name, e.g. 下城区
    aliases: list[Name] = []  # short and other spellings, e.g. 下城
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None  # last day the name was in force
    successor: str | None = None  # the name it maps to today

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_until is None or day <= self.valid_until)


class Phase(Record):
    number: int
    name: Name
    channels: list[str]
    collect_by: dt.date
    enter_by: dt.date | None = None


class FitnessLevel(Record):
    level: Name
    can_serve: bool
    meaning: str | None = None


class Vocabulary(Record):
    ethnicity: list[str]
    political: list[str]
    education: list[str]
    rank: list[str]
    fitness: list[FitnessLevel]
    channels: list[str]
    kinds: list[str]
    services: list[str]
    domains: list[str]
    beneficiaries: list[str]
    synonyms: dict[str, dict[str, str]] = {}  # field -> written form -> canonical value


class DistinctPair(Record):
    """Two records a maintainer confirmed to be different people despite looking alike."""

    a: TalentId
    b: TalentId
    confirmed: dt.date
    note: str | None = None


class Recognition(Record):
    stars: list[int]  # hours for 1..5 stars
    outstanding_min_hours: float
    outstanding_top: int


class PoolConfig(Record):
    name: Name
    bureau: Name
    fingerprint_key_id: str | None = None  # key_id() of the key the fingerprints were made with
    demo_key: str | None = None  # a demo pool ships its (fictional) key; a real pool never does
    recognition: Recognition
