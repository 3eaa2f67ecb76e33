"""`silverpool fmt` and `silverpool withdraw` on a temporary copy of the shipped pool."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from silverpool.cli import main
from silverpool.loader import load_pool


def talent_file(root: Path) -> Path:
    return sorted((root / "data" / "talents").glob("*.yaml"))[0]


def test_fmt_check_passes_on_the_shipped_pool(capsys):
    repo = Path(__file__).resolve().parent.parent
    assert main(["--root", str(repo), "fmt", "--check"]) == 0


def test_reordered_and_unquoted_file_fails_fmt_check_and_fmt_repairs_it(pool_root, capsys):
    p = talent_file(pool_root)
    original = p.read_text("utf-8")
    lines = original.splitlines(keepends=True)
    lines[1], lines[2] = lines[2], lines[1]
    text = "".join(lines)
    # an unquoted month that YAML would still read as a string, and flow style for a list
    text = re.sub(r'^birth: "(\d{4}-\d\d)"', r"birth: '\1'", text, flags=re.M)
    p.write_text(text, "utf-8")
    assert main(["--root", str(pool_root), "fmt", "--check"]) == 1
    out = capsys.readouterr().out
    assert f"需要格式化：data/talents/{p.name}" in out
    assert p.read_text("utf-8") == text  # --check changes nothing
    assert main(["--root", str(pool_root), "fmt"]) == 0
    assert p.read_text("utf-8") == original
    assert main(["--root", str(pool_root), "fmt", "--check"]) == 0


def test_fmt_quotes_what_yaml_could_misread(pool_root):
    p = talent_file(pool_root)
    text = p.read_text("utf-8")
    p.write_text(text.replace("status: 已入库", "remarks: 'no'\nstatus: 已入库"), "utf-8")
    assert main(["--root", str(pool_root), "fmt"]) == 0
    assert '\nremarks: "no"\n' in p.read_text("utf-8")
    assert load_pool(pool_root).talents[p.stem].remarks == "no"


def test_withdraw_strips_contact_details_and_reports_leadership(pool_root, capsys):
    g = (pool_root / "data" / "groups" / "yiwei.yaml").read_text("utf-8")
    head = re.search(r"role: 组长\n    talent: (T\w+)", g).group(1)
    assert main(["--root", str(pool_root), "withdraw", head.lower(), "--date", "2017-03-01", "--reason", "身体原因"]) == 0
    out = capsys.readouterr().out
    assert "医卫组的组长空缺" in out
    pool = load_pool(pool_root)
    t = pool.talents[head]
    assert (t.status, t.withdrawn, t.withdraw_reason, t.phone, t.address) == ("已退出", dt.date(2017, 3, 1), "身体原因", None, None)
    assert all(m.until == dt.date(2017, 3, 1) for m in t.groups)
    group = pool.groups["yiwei"]
    assert [x.role for x in group.current_leaders()] == ["副组长", "副组长"]
    assert all(head not in team.members for team in group.teams)
    # the pool now needs a new 组长, and check says so
    assert main(["--root", str(pool_root), "check"]) == 1
    assert "data/groups/yiwei.yaml: leaders: 医卫组应有 1 名组长和 2 名副组长，现有组长 0 名、副组长 2 名" in capsys.readouterr().out


def test_withdraw_refuses_unknown_or_already_withdrawn(pool_root, capsys):
    assert main(["--root", str(pool_root), "withdraw", "TZZZZZZ", "--date", "2016-03-01"]) == 2
    assert "找不到人员 TZZZZZZ" in capsys.readouterr().err
    tid = talent_file(pool_root).stem
    last = max(a.date for a in load_pool(pool_root).activities.values() if any(p.talent == tid for p in a.participants))
    # not before the person's last activity: the records would contradict each other
    assert main(["--root", str(pool_root), "withdraw", tid, "--date", last.isoformat()]) == 2
    assert "仍参加了活动" in capsys.readouterr().err
    day = (last + dt.timedelta(days=1)).isoformat()
    assert main(["--root", str(pool_root), "withdraw", tid, "--date", day]) == 0
    assert main(["--root", str(pool_root), "withdraw", tid, "--date", "2017-04-01"]) == 2
    assert f"已于 {day} 退出" in capsys.readouterr().err


def test_bad_date_is_a_clear_message(pool_root, capsys):
    import pytest

    with pytest.raises(SystemExit) as e:
        main(["--root", str(pool_root), "withdraw", "T000000", "--date", "2016/3/1"])
    assert e.value.code == 2
    assert "日期格式应为 YYYY-MM-DD" in capsys.readouterr().err


def test_demo_generator_is_deterministic_and_scales(tmp_path):
    from tests.conftest import copy_pool

    a = copy_pool(tmp_path / "a")
    b = copy_pool(tmp_path / "b")
    for root in (a, b):
        assert main(["--root", str(root), "demo", "--people", "120", "--seed", "7"]) == 0
    files_a = sorted(p.relative_to(a) for p in (a / "data").rglob("*.yaml"))
    assert files_a == sorted(p.relative_to(b) for p in (b / "data").rglob("*.yaml"))
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files_a)
    pool = load_pool(a)
    assert len(pool.talents) == 120 and len(pool.groups) == 10


def test_key_init_writes_a_private_key_once(tmp_path, capsys):
    from silverpool.idcard import key_id, read_key

    out = tmp_path / "k" / "fingerprint.key"
    assert main(["--root", str(tmp_path), "key", "init", "--out", str(out)]) == 0
    key = read_key(out)
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert key_id(key) in capsys.readouterr().out
    assert main(["--root", str(tmp_path), "key", "init", "--out", str(out)]) == 2
    assert read_key(out) == key  # never overwritten
