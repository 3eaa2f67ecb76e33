"""`silverpool match`: fitting registered people for a need, nearest and least busy first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from silverpool.cli import main
from silverpool.loader import load_pool
from silverpool.yearly.match import Need, match
from tests.test_yearly_pool import build_pool

D = dt.date


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    return load_pool(build_pool(tmp_path_factory.mktemp("tiny")))


def ids(fits) -> list[str]:
    return [f.talent.id for f in fits]


def test_specialty_words_decide_and_same_district_then_least_busy_come_first(pool):
    fits, busy = match(pool, Need("医疗", ["儿科"], "西湖区", D(2016, 12, 1)))
    # T000004 is 儿科 in 西湖区 but not fit to serve; T000003 (中医内科) has no 儿科;
    # T000009 (0 h) before T000001 (190 h in the year before), both in 西湖区; T000002 lives in 上城区
    assert ids(fits) == ["T000009", "T000001", "T000002"] and busy == 0
    assert [f.recent_hours for f in fits] == [0, 190, 0]
    assert fits[0].reasons == ["专业特长“儿科”", "所在医卫组服务医疗领域", "同在西湖区", "此前一年服务 0 小时"]
    assert fits[2].reasons[2] == "居住上城区"


def test_not_yet_registered_and_booked_that_day_are_left_out(pool):
    fits, busy = match(pool, Need("医疗", ["儿科"], "西湖区", D(2016, 2, 10)))
    # T000009 registers on 2016-03-01; T000001 serves at the February post
    assert ids(fits) == ["T000002"] and busy == 1


def test_domain_alone_and_old_district_names(pool):
    fits, _ = match(pool, Need("法律", [], "拱墅", D(2016, 12, 1)))
    assert ids(fits) == ["T000006", "T000007", "T000005", "T000008"]
    # 下城区 merged into 拱墅区 in 2021: a need written with the old name finds the same people nearest
    fits, _ = match(pool, Need("法律", [], "下城区", D(2016, 12, 1)))
    assert ids(fits)[:2] == ["T000006", "T000007"]


def test_word_matching_is_by_substring_and_traditional_characters(pool):
    fits, _ = match(pool, Need(None, ["調解"], None, D(2016, 12, 1)))
    assert ids(fits) == ["T000006", "T000008"]
    assert fits[1].reasons[0] == "专业特长“劳动争议调解”含“调解”"


def test_match_command(pool, capsys):
    root = str(pool.root)
    assert main(["--root", root, "match", "--domain", "医疗", "--words", "儿科", "--district", "西湖", "--date", "2016-12-01"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "需求：领域 医疗，特长 儿科，区县 西湖区，日期 2016-12-01"
    assert out[1].startswith("排序：先同区县，再按此前一年服务时长从少到多") and "符合条件 3 人" in out[1]
    assert out[2].startswith(" 1. 壬九（T000009）医卫组") and out[3].startswith("    理由：专业特长“儿科”")
    assert main(["--root", root, "match", "--domain", "天文"]) == 2
    assert "未知服务领域 \"天文\"" in capsys.readouterr().err
    assert main(["--root", root, "match", "--district", "西湖区"]) == 2
    assert main(["--root", root, "match", "--words", "考古", "--date", "2016-12-01"]) == 0
    assert "没有符合条件的人员" in capsys.readouterr().out


def test_match_command_edge_cases(pool, capsys):
    root = str(pool.root)
    # the year before 0001-01-02 starts before the first date there is
    assert main(["--root", root, "match", "--domain", "医疗", "--date", "0001-01-01"]) == 0
    assert "没有符合条件的人员" in capsys.readouterr().out
    # empty words are ignored, not matched against everything
    assert main(["--root", root, "match", "--words", "", " "]) == 2
    assert "请至少给出服务领域（--domain）或专业特长关键词（--words）" in capsys.readouterr().err
    assert main(["--root", root, "match", "--words", "", "儿科", "--district", "西湖", "--date", "2016-12-01", "--top", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "需求：特长 儿科，区县 西湖区，日期 2016-12-01"
    assert [x for x in out if x[:3].strip().rstrip(".").isdigit()] == [" 1. 壬九（T000009）医卫组  健康状况良好  电话 13900000008"]
    for top in ("0", "-1"):
        assert main(["--root", root, "match", "--domain", "医疗", "--top", top]) == 2
        assert capsys.readouterr().err.strip() == f"错误：--top 应为不小于 1 的整数（收到 {top}）"
