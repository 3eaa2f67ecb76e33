"""`silverpool site build` on a small pool: pages, escaping, personal data, search, offline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from silverpool.site.escape import mask_phone, md, street_only

from .test_site_pool import HOSTILE_ID, HOSTILE_NAME, SEAL_ID, built_site


@pytest.fixture(scope="module")
def site():
    return built_site()


def html(site, rel: str) -> str:
    return (site.out / rel).read_text("utf-8")


def all_built_text(site) -> dict[Path, str]:
    return {p: p.read_text("utf-8") for p in site.out.rglob("*") if p.suffix in (".html", ".json", ".js", ".xml") and p.is_file()}


# --- units --------------------------------------------------------------------------------------


def test_masking_and_street_cut():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0571-87654321") == "0571-****4321"
    assert mask_phone(None) == ""
    assert street_only("杭州市西湖区北山街道12号") == "杭州市西湖区北山街道"
    assert street_only("杭州市淳安县千岛湖镇新安大街5号") == "杭州市淳安县千岛湖镇"
    assert street_only("杭州市下城区武林街道1号", "下城区", "拱墅区") == "杭州市拱墅区武林街道"
    assert street_only("杭州市某某路8号") == ""  # no street named: show nothing rather than the house


def test_markdown_escape_leaves_no_markup():
    assert md("[x](javascript:alert(1))") == r"\[x\]\(javascript:alert\(1\)\)"
    assert md("<img src=x onerror=alert(1)>") == r"&lt;img src=x onerror=alert\(1\)&gt;"
    assert md("{{ 7*7 }}") == r"\{\{ 7\*7 \}\}"
    assert md("# 标题") == r"\# 标题" and md("1. 项") == r"1\. 项" and md("a|b") == r"a\|b"
    assert md("2014-07-15") == "2014-07-15"


# --- the built site -----------------------------------------------------------------------------


def test_build_says_where_to_open_it(site):
    assert f"打开 {site.out / 'index.html'}" in site.output
    assert "silverpool site serve" in site.output


def test_every_section_is_built(site):
    for rel in ("index.html", "groups/index.html", "groups/shuhua.html", "roster.html", f"people/{SEAL_ID}.html",
                "activities/index.html", "activities/2015.html", "summaries/2015.html", "intake.html", "changes.html", "about.html"):
        assert (site.out / rel).is_file(), rel
    activity = next((site.out / "activities" / "2015").glob("A2015-*.html"))
    assert "参加人员" in activity.read_text("utf-8")
    home = html(site, "index.html")
    assert home.count('<figure class="sp-chart"') == 4 and "<svg" in home
    assert "各小组人数" in home and "居住区县" in home and "年龄段" in home and "推荐渠道" in home
    summary = html(site, "summaries/2015.html")
    assert "先进人物" in summary and "每个小组都至少开展了一次活动" in summary or "未开展活动的小组" in summary
    intake = html(site, "intake.html")
    assert "第一阶段（市直）" in intake and "2014-07-15" in intake and "按期入库" in intake


def test_group_page_has_leaders_teams_plan_and_roster_widget(site):
    page = html(site, "groups/shuhua.html")
    assert "组长、副组长" in page and "银色小分队" in page and "历年活动" in page
    assert 'class="sp-roster" data-base="../" data-group="shuhua"' in page
    assert "年活动计划" in page


def test_people_stay_out_of_the_navigation(site):
    cfg = yaml.safe_load((site.src / "mkdocs.yml").read_text("utf-8"))
    assert "people/" not in json.dumps(cfg["nav"], ensure_ascii=False)
    home = html(site, "index.html")
    assert "people/" not in home.split('<div class="md-content"')[0]  # nav and header link no person


def test_profile_shows_masked_contact_current_district_and_history(site):
    page = html(site, f"people/{SEAL_ID}.html")
    assert "金石声" in page and "篆刻" in page
    assert "139****1111" in page and "13900001111" not in page
    assert "杭州市西湖区北山街道" in page and "12号" not in page
    assert "2014-08-01：联系电话已更新；状态：待复核 → 已入库；入库日期：（空） → 2014-08-01" in page
    assert "2014-07-16：建立记录" in page
    assert "录入员" not in page
    hostile = html(site, f"people/{HOSTILE_ID}.html")
    assert "拱墅区（原下城区）" in hostile and "杭州市拱墅区武林街道" in hostile and "环城北路" not in hostile


def test_changes_page_describes_pool_changes_in_chinese_only(site):
    from silverpool.loader import load_pool

    pool = load_pool(site.root)
    page = html(site, "changes.html")
    body = page.split('<div class="md-content"')[1]
    assert "Demo pool" not in page and "seal carver" not in page and "Benchmark" not in page
    assert "2014-08-02" not in body  # the code-only commit is no change to the pool
    assert body.count("<li>") == 2
    assert "<li>修改人员 1 名。涉及人员：" in body and "金石声</a>" in body
    n = len(pool.talents)
    groups = len(pool.groups)
    assert f"<li>新增人员 {n} 名（" in body and f"新增小组 {groups} 个" in body
    assert "录入员" not in page


def test_hostile_text_is_escaped_everywhere(site):
    page = html(site, f"people/{HOSTILE_ID}.html")
    assert "<img src=x" not in page and "<script>alert" not in page and "<b>粗体" not in page
    assert 'href="javascript' not in page and "<strong>粗" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "{{ 7*7 }}" in page and "49" not in page.split("原工作单位")[1][:80]
    assert "[点我](javascript:alert(2))" in page
    for path, text in all_built_text(site).items():
        assert "<img src=x" not in text, path
        assert 'href="javascript' not in text.lower(), path
    roster = json.loads((site.out / "data" / "roster.json").read_text("utf-8"))
    assert [p[1] for p in roster["people"] if p[0] == HOSTILE_ID] == [HOSTILE_NAME]  # data; the script uses textContent


def test_no_phone_id_number_or_fingerprint_in_the_site(site):
    fingerprints = re.findall(r"^fingerprint: (\S+)", "\n".join(p.read_text("utf-8") for p in (site.root / "data" / "talents").glob("*.yaml")), re.M)
    assert len(fingerprints) > 10
    phones = re.compile(r"(?<![\d*])1[3-9]\d{9}(?!\d)|0571-\d{8}")
    ids = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
    for path, text in all_built_text(site).items():
        assert not phones.search(text), (path, phones.search(text))
        assert not ids.search(text), path
        assert not any(f in text for f in fingerprints), path
    assert "0571-****4321" not in html(site, f"people/{SEAL_ID}.html")  # the landline was replaced by a mobile


def test_no_reference_to_other_hosts(site):
    external = re.compile(r"<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", re.I)
    for path, text in all_built_text(site).items():
        if path.suffix == ".html":
            assert not external.search(text), (path, external.search(text))
            assert "fonts.googleapis" not in text and "unpkg.com" not in text, path


def test_search_index_is_segmented_and_finds_the_specialty(site):
    index = json.loads((site.out / "search" / "search_index.json").read_text("utf-8"))
    sep = re.compile(index["config"]["separator"])
    docs = index["docs"]
    hits = [d for d in docs if "篆刻" in sep.split(re.sub(r"<[^>]+>", " ", d["text"])) and d["location"].startswith("people/")]
    assert [d["location"] for d in hits] == [f"people/{SEAL_ID}.html"]
    assert "\u200b" in hits[0]["text"]  # jieba's word boundaries
    assert "\u200b篆刻\u200b" in hits[0]["text"] or hits[0]["text"].count("篆刻") == 1
    # the profile indexes one short summary, not its tables and history
    assert not any(d["location"].startswith(f"people/{SEAL_ID}.html#") for d in docs)
    assert "联系电话" not in hits[0]["text"]
    assert (site.out / "search" / "search_index.js").is_file()  # the offline copy


def test_pages_stay_small(site):
    biggest = max(site.out.rglob("*.html"), key=lambda p: p.stat().st_size)
    assert biggest.stat().st_size < 100_000, biggest


def test_site_builds_without_git_history(tmp_path, capsys):
    import shutil

    from silverpool.cli import main

    src = built_site().root
    shutil.copytree(src / "data", tmp_path / "data")
    assert main(["--root", str(tmp_path), "site", "build"]) == 0
    page = (tmp_path / "build" / "site" / "people" / f"{SEAL_ID}.html").read_text("utf-8")
    assert "本仓库没有 git 历史" in page
    assert "本仓库没有 git 历史" in (tmp_path / "build" / "site" / "changes.html").read_text("utf-8")


def test_record_body_is_passed_through_only_when_it_is_headings_and_html():
    from silverpool.site.hooks import split_body

    head, body = split_body("# 名\n\n摘要\n\n## 基本信息 { data-search-exclude }\n\n<table><tr><td>x</td></tr></table>\n\n## 记录变更\n\n<ul><li>a</li></ul>\n")
    assert head == "# 名\n\n摘要\n"
    assert body == [("基本信息", "<table><tr><td>x</td></tr></table>"), ("记录变更", "<ul><li>a</li></ul>")]
    assert split_body("# 名\n\n## 小节\n\n普通 *Markdown* 段落\n") is None  # left to Markdown
    assert split_body("# 名\n\n没有小节\n") is None


def test_a_big_year_gets_one_activity_page_per_group(tmp_path, monkeypatch):
    from silverpool.history import History
    from silverpool.loader import load_pool
    from silverpool.site import generate

    monkeypatch.setattr(generate, "YEAR_PAGE_ACTIVITIES", 3)
    pool = load_pool(built_site().root)
    generate.generate(pool, History(available=False), tmp_path)
    year = max(a.date.year for a in pool.activities.values())
    gid = next(a.groups[0] for a in pool.activities.values() if a.date.year == year)
    page = (tmp_path / "activities" / str(year) / f"{gid}.md").read_text("utf-8")
    assert page.startswith(f"# {pool.group_name(gid)} {year} 年活动")
    ids = [a.id for a in pool.activities.values() if a.date.year == year and gid in a.groups]
    assert ids and all(f"activities/{year}/{i}.md)" in page for i in ids)
    assert f"]({'../' * 1}activities/{year}/{gid}.md)" in (tmp_path / "activities" / f"{year}.md").read_text("utf-8")
