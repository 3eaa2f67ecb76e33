"""City-scale benchmark: our commands side by side with the tools people would use instead.

Everything is generated into a temporary folder: a pool (default 20,000 people, 2,000
activities) and a 10,000-row submission in the registration form's layout. Each figure is the
median of several runs after a warm-up, with the spread, and the ratio to its baseline in the
same run. Peak memory is each command's own maximum resident set (os.wait4).

    bench/run                   # full size
    bench/run --people 300      # small, about a minute: catches breakage (CI)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
SILVERPOOL = [PY, "-m", "silverpool"]


def run_measured(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, float, str]:
    """Run a command; return (seconds, peak MB of that process, output). Fails loudly."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = out.decode("utf-8", "replace")
    if proc.returncode not in (0, 1):
        raise SystemExit(f"命令失败（{proc.returncode}）：{' '.join(cmd)}\n{text[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, text


def repeat(label: str, cmd_factory, runs: int, reset=None) -> dict:
    """Warm up once, then `runs` measured runs; `reset` restores state before each run."""
    times, peaks = [], []
    for i in range(runs + 1):
        if reset:
            reset()
        cmd, cwd = cmd_factory()
        secs, peak, _ = run_measured(cmd, cwd=cwd)
        if i > 0:
            times.append(secs)
            peaks.append(peak)
    return {"label": label, "median": statistics.median(times), "spread": max(times) - min(times), "runs": runs, "peak_mb": max(peaks)}


# --- inputs -----------------------------------------------------------------------------------


def make_pool(root: Path, people: int, activities: int) -> None:
    shutil.copytree(REPO / "data" / "reference", root / "data" / "reference")
    shutil.copy(REPO / "data" / "pool.yaml", root / "data" / "pool.yaml")
    (root / "examples").mkdir()
    shutil.copy(REPO / "examples" / "demo-fingerprint.key", root / "examples" / "demo-fingerprint.key")
    subprocess.run([*SILVERPOOL, "--root", str(root), "demo", "--people", str(people), "--activities", str(activities)], check=True, stdout=subprocess.DEVNULL)
    git = ["git", "-C", str(root)]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-qm", "Demo pool"], check=True)


def _id_number(rng: random.Random, birth: dt.date, male: bool) -> str:
    from silverpool.idcard import check_char

    seq = rng.randrange(100) * 10 + rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
    body = f"{rng.choice(['330102', '330106', '330108', '330110', '330182'])}{birth:%Y%m%d}{seq:03d}"
    return body + check_char(body)


HEADER = ["序号", "姓名", "性别", "出生年月", "民族", "政治面貌", "文化程度", "身份证号", "离退休类别", "离退休时间",
          "原工作单位", "原职务", "职级", "专业技术职称", "专业特长", "兴趣爱好", "健康状况", "居住区县", "家庭住址",
          "联系电话", "选报小组", "可服务时间", "可提供的服务", "本人确认", "备注"]


def make_submission(path: Path, rows: int, seed: int = 10000) -> None:
    """A 10,000-row 基本信息表 as a big unit would send it: title and 填报单位 rows above the
    header, dates in several spellings, phones stored as numbers, blank rows, a few bad rows."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("基本信息表")
    ws.append(["杭州市“银色人才”库基本信息表"])
    ws.append(["填报单位：西湖区委老干部局　　填报日期：2015年6月20日"])
    ws.append(HEADER)
    surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖", "国华建明伟芳秀英文杰志强军平玉兰桂敏静丽红海涛林峰春梅德福荣珍"
    groups = ["宣讲组", "帮教组", "科技组", "医卫组", "书画组", "摄影组", "文艺组", "诗词组", "法律组", "综合组"]
    seen = set()
    n = 0
    while n < rows:
        n += 1
        if n % 97 == 0:
            ws.append([None] * len(HEADER))  # a blank row inside the table
        male = rng.random() < 0.6
        while True:
            birth = dt.date(rng.randint(1930, 1958), rng.randint(1, 12), rng.randint(1, 28))
            name = rng.choice(surnames) + "".join(rng.choice(given) for _ in range(2))
            if (name, birth.year, birth.month, male) not in seen:
                seen.add((name, birth.year, birth.month, male))
                break
        idn = _id_number(rng, birth, male)
        spelled = rng.choice([f"{birth:%Y.%m}", f"{birth.year}年{birth.month}月", f"{birth:%Y-%m}", f"{birth:%Y/%m}", dt.datetime(birth.year, birth.month, 1)])
        consent = "否" if n % 211 == 0 else "是"
        chosen = "、".join(rng.sample(groups, rng.choice([1, 1, 2])))
        if n % 307 == 0:
            chosen = "棋牌组"
        if n % 401 == 0:
            idn = idn[:17] + ("0" if idn[17] != "0" else "1")
        street = rng.choice(["北山", "文新", "翠苑", "西溪"])
        ws.append([n, name, "男" if male else "女", spelled, "汉族", rng.choice(["中共党员", "群众"]), rng.choice(["大学", "大专", "中专"]),
                   idn, "退休", f"{min(birth.year + 60, 2014)}年{rng.randint(1, 12)}月", "西湖区教育局", "科长", "正科级", "",
                   rng.choice(["书法", "篆刻", "法律咨询", "中医内科", "越剧"]), "太极拳", rng.choice(["良好", "较好", "一般"]),
                   "西湖区", f"杭州市西湖区{street}街道{rng.randint(1, 300)}号", float(f"13{rng.randint(0, 999999999):09d}"),
                   chosen, "不定期", "讲座", consent, ""])
    wb.save(path)


def make_plain_mkdocs(root: Path, pages: int) -> None:
    """The baseline site: the same number of plain pages, mkdocs-material with search, nothing generated."""
    docs = root / "docs"
    (docs / "p").mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n\n基准站点。\n", "utf-8")
    for i in range(pages):
        (docs / "p" / f"{i}.md").write_text(f"# 人员 {i}\n\n| 字段 | 值 |\n|---|---|\n| 姓名 | 张三{i} |\n| 小组 | 书画组 |\n| 专业特长 | 书法、篆刻 |\n", "utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: 基准\ntheme:\n  name: material\n  language: zh\n  font: false\nplugins:\n  - search\nnav:\n  - index.md\n", "utf-8")


# --- the measurements -------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description="银色人才库基准测试")
    ap.add_argument("--people", type=int, default=20000)
    ap.add_argument("--activities", type=int, default=None, help="默认为人数的 1/10")
    ap.add_argument("--rows", type=int, default=None, help="报送表行数，默认为人数的一半")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "out", help="结果文件目录")
    ap.add_argument("--keep", action="store_true", help="保留临时目录")
    ap.add_argument("--only", choices=["check", "intake", "site"], action="append", help="只测这几项（可重复）")
    args = ap.parse_args()
    activities = args.activities or max(30, args.people // 10)
    rows = args.rows or max(20, args.people // 2)
    work = Path(tempfile.mkdtemp(prefix="silverpool-bench-"))
    results: list[dict] = []

    def line(name: str, ours: dict, base: dict | None, target: float | None) -> None:
        ratio = ours["median"] / base["median"] if base else None
        ok = "" if target is None or ratio is None else ("  达标" if ratio <= target else f"  未达标（目标 ≤ {target}×）")
        r = f"  比值 {ratio:.2f}× {base['label']}" if base else ""
        print(f"{name:<28} 中位数 {ours['median']:7.2f} s  波动 {ours['spread']:5.2f} s  峰值内存 {ours['peak_mb']:7.1f} MB{r}{ok}", flush=True)
        results.append({"name": name, **ours, "baseline": base, "ratio": ratio, "target": target})

    try:
        print(f"生成：{args.people} 人、{activities} 项活动的人才库，{rows} 行的报送表 …", flush=True)
        pool = work / "pool"
        make_pool(pool, args.people, activities)
        sub = work / "submission.xlsx"
        make_submission(sub, rows)
        yaml_files = [str(p) for p in (pool / "data").rglob("*.yaml")]
        listing = work / "files.txt"
        listing.write_text("\n".join(yaml_files), "utf-8")

        want = set(args.only or ["check", "intake", "site"])

        # 1. check against a bare C-loader parse of the same files
        if "check" in want:
            bare = repeat("PyYAML C 解析", lambda: ([PY, "-c", "import sys,yaml\nfor p in open(sys.argv[1]).read().split('\\n'):\n    yaml.load(open(p,encoding='utf-8').read(), Loader=yaml.CSafeLoader)", str(listing)], None), args.runs)
            ours = repeat("silverpool check", lambda: ([*SILVERPOOL, "--root", str(pool), "check"], None), args.runs)
            line("check", ours, bare, 2.0)

        # 2. intake against merely reading the file
        if "intake" in want:
            base_pd = repeat("pandas.read_excel(openpyxl)", lambda: ([PY, "-c", "import sys,pandas\npandas.read_excel(sys.argv[1], engine='openpyxl', header=None)", str(sub)], None), args.runs)
            base_cal = repeat("python-calamine 读取", lambda: ([PY, "-c", "import sys\nfrom python_calamine import CalamineWorkbook\nwb=CalamineWorkbook.from_path(sys.argv[1])\n[wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names]", str(sub)], None), args.runs)

            def reset_pool() -> None:
                subprocess.run(["git", "-C", str(pool), "checkout", "-q", "main"], check=True)
                subprocess.run(["git", "-C", str(pool), "branch", "-q", "-D", *[b for b in subprocess.run(["git", "-C", str(pool), "branch", "--format=%(refname:short)"], capture_output=True, text=True).stdout.split() if b != "main"]], check=False, stderr=subprocess.DEVNULL)
                shutil.rmtree(pool / "build", ignore_errors=True)

            ours = repeat("silverpool intake", lambda: ([*SILVERPOOL, "--root", str(pool), "intake", str(sub), "--unit", "西湖区委老干部局", "--date", "2015-07-01"], pool), args.runs, reset=reset_pool)
            line("intake", ours, base_pd, 1.0)
            line("intake（对 calamine）", ours, base_cal, None)

        # 3. site build against plain mkdocs-material on the same number of pages
        if "site" in want:
            site_out = work / "site"
            ours = repeat("silverpool site build", lambda: ([*SILVERPOOL, "--root", str(pool), "site", "build", "--out", str(site_out)], None), args.runs)
            pages = sum(1 for _ in site_out.rglob("*.html"))
            plain = work / "plain"
            make_plain_mkdocs(plain, pages)
            base = repeat("mkdocs-material 纯页面", lambda: ([PY, "-m", "mkdocs", "build", "-q", "-f", str(plain / "mkdocs.yml"), "-d", str(work / "plain-site")], None), args.runs)
            line("site build", ours, base, 1.3)
            index = site_out / "search" / "search_index.json"
            total = sum(p.stat().st_size for p in site_out.rglob("*") if p.is_file())
            biggest = max(site_out.rglob("*.html"), key=lambda p: p.stat().st_size)
            facts = {
                "pages": pages, "site_mb": total / 2**20, "largest_page_kb": biggest.stat().st_size / 1024,
                "largest_page": str(biggest.relative_to(site_out)),
                "search_index_mb": index.stat().st_size / 2**20 if index.exists() else None,
            }
            print(f"{'site 规模':<28} {pages} 页，共 {facts['site_mb']:.1f} MB；最大页面 {facts['largest_page_kb']:.1f} KB（{facts['largest_page']}，目标 ≤ 100 KB）；"
                  f"搜索索引 {facts['search_index_mb'] or 0:.2f} MB（目标 < 10 MB）", flush=True)
            results.append({"name": "site size", **facts})
        over_gb = [r["name"] for r in results if r.get("peak_mb", 0) > 1024]
        print("峰值内存：" + ("全部低于 1 GB" if not over_gb else "超过 1 GB：" + "、".join(over_gb)))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"临时目录保留在 {work}")

    args.out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    record = {"when": stamp, "people": args.people, "activities": activities, "rows": rows, "runs": args.runs,
              "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}, "results": results}
    out = args.out / f"bench-{args.people}-{stamp}.json"
    out.write_text(json.dumps(record, ensure_ascii=False, indent=1, default=str), "utf-8")
    print(f"结果已写入 {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
