"""The built site in a real browser (Debian's headless chromium) served on 127.0.0.1.

Screenshots of the main pages go to build/screenshots/ in the repository."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .test_site_pool import HOSTILE_ID, HOSTILE_NAME, HOSTILE_REMARKS, SEAL_ID, built_site

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium 未安装（scripts/setup --browser 会安装）")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser_session():
    from playwright.sync_api import sync_playwright

    site = built_site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site.out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    SHOTS.mkdir(parents=True, exist_ok=True)
    requests: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"])
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        context.on("request", lambda r: requests.append(r.url))
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        yield {"page": page, "base": base, "requests": requests, "dialogs": dialogs, "errors": errors}
        context.close()
        browser.close()
    server.shutdown()


def test_home_and_group_pages_render(browser_session):
    page, base = browser_session["page"], browser_session["base"]
    page.goto(base + "index.html")
    assert page.locator("h1").first.inner_text().startswith("杭州市")
    assert page.locator("figure.sp-chart svg").count() == 4
    assert page.locator(".md-tabs__link", has_text="人才名录").count() == 1
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)
    page.goto(base + "groups/shuhua.html")
    assert page.locator("h1").first.inner_text() == "书画组"
    page.wait_for_selector(".sp-roster tbody tr")
    members = page.locator(".sp-roster tbody tr").count()
    assert members >= 2  # the two added 书画组 members at least
    assert page.locator(".sp-roster select[name=group]").count() == 0  # fixed to this group
    page.screenshot(path=str(SHOTS / "group-shuhua.png"), full_page=True)


def test_roster_filter_narrows_the_list_and_a_profile_opens(browser_session):
    page, base = browser_session["page"], browser_session["base"]
    page.goto(base + "roster.html")
    page.wait_for_selector(".sp-roster tbody tr")
    count = page.locator(".sp-roster-count")
    assert count.inner_text() == "共 42 人"
    page.select_option(".sp-roster select[name=group]", "shuhua")
    by_group = int(count.inner_text().split()[1])
    assert 2 <= by_group < 42
    page.select_option(".sp-roster select[name=specialty]", "篆刻")
    assert count.inner_text() == "共 1 人"
    assert page.locator(".sp-roster tbody tr").count() == 1
    page.select_option(".sp-roster select[name=specialty]", "")
    page.select_option(".sp-roster select[name=group]", "")
    page.fill(".sp-roster input[name=name]", "金石")
    assert count.inner_text() == "共 1 人"
    page.screenshot(path=str(SHOTS / "roster.png"), full_page=False)
    page.click(".sp-roster tbody a")
    page.wait_for_url(f"**/people/{SEAL_ID}.html")
    assert page.locator("h1").first.inner_text() == "金石声"
    body = page.locator("article").inner_text()
    assert "139****1111" in body and "杭州市西湖区北山街道" in body and "联系电话已更新" in body
    page.screenshot(path=str(SHOTS / "profile.png"), full_page=True)


def test_search_finds_a_person_by_specialty(browser_session):
    page, base = browser_session["page"], browser_session["base"]
    page.goto(base + "index.html")
    page.click(".md-search__input")
    page.fill(".md-search__input", "篆刻")
    page.keyboard.press("End")  # material searches on key events; an IME ends with one too
    item = page.locator(".md-search-result__item", has_text="金石声")
    item.first.wait_for(timeout=15000)
    assert item.count() >= 1
    page.screenshot(path=str(SHOTS / "search.png"))
    item.first.locator("a").first.click()
    page.wait_for_url(f"**/people/{SEAL_ID}.html*")
    assert page.locator("h1").first.inner_text() == "金石声"


def test_hostile_record_shows_literally_and_runs_nothing(browser_session):
    page, base = browser_session["page"], browser_session["base"]
    page.goto(base + f"people/{HOSTILE_ID}.html")
    page.wait_for_timeout(300)
    assert page.locator("h1").first.inner_text() == HOSTILE_NAME
    assert page.title().startswith(HOSTILE_NAME)
    body = page.locator("article").inner_text()
    assert "{{ 7*7 }}" in body
    assert " ".join(HOSTILE_REMARKS.split()) in " ".join(body.split())
    assert "[x](javascript:alert(4))" in body and "<b>粗体</b>" in body
    assert page.locator("article img, article script, article b, article strong").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    page.screenshot(path=str(SHOTS / "hostile-profile.png"), full_page=True)
    page.goto(base + "roster.html#name=" + "%3Cimg")
    page.wait_for_selector(".sp-roster tbody tr")
    assert page.locator(".sp-roster tbody a").first.inner_text() == HOSTILE_NAME
    assert page.locator(".sp-roster img").count() == 0
    assert browser_session["dialogs"] == []


def test_no_request_leaves_localhost(browser_session):
    requests = browser_session["requests"]
    assert len(requests) > 20  # pages, styles, scripts, the roster data and the search index were loaded
    assert any(u.endswith("/search/search_index.json") for u in requests)
    assert any(u.endswith("/data/roster.json") for u in requests)
    outside = [u for u in requests if urlparse(u).scheme not in ("data", "blob") and urlparse(u).hostname != "127.0.0.1"]
    assert outside == []
    assert browser_session["errors"] == []
