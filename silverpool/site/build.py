"""Build the site: load the pool, write Markdown to build/site-src/, run mkdocs into build/site/.

Hand-written pages, overrides, assets and the base mkdocs.yml live in the repository's `site/`
folder; the generated sources go to an ignored build folder so that nothing generated is
committed.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..history import read_history
from ..loader import load_pool
from . import generate

HOOKS = [Path(__file__).parent / "hooks.py", Path(__file__).parent / "hooks_after.py"]


def site_folder(root: Path) -> Path:
    """The pool's own site/ folder, else the one beside this package's source (for pools
    made elsewhere, such as temporary test pools)."""
    own = Path(root) / "site"
    if (own / "mkdocs.yml").exists():
        return own
    return Path(__file__).resolve().parents[2] / "site"


@dataclass
class BuildResult:
    out: Path
    src: Path
    pages: int
    people: int
    problems: int
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def index(self) -> Path:
        return self.out / "index.html"


def write_sources(root: Path, src: Path, out: Path, as_of: dt.date | None = None) -> BuildResult:
    """Step one: the Markdown pages, roster data and mkdocs.yml under `src`."""
    t0 = time.perf_counter()
    pool = load_pool(root)
    t1 = time.perf_counter()
    history = read_history(root)
    t2 = time.perf_counter()
    docs = src / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    site = site_folder(root)
    shutil.copytree(site / "assets", docs / "assets")
    counts = generate.generate(pool, history, docs, as_of)
    for page in sorted((site / "pages").glob("**/*.md")):
        target = docs / page.relative_to(site / "pages")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, target)
    words = src / "jieba-words.txt"
    words.write_text("".join(f"{w} 2000 n\n" for w in generate.jieba_words(pool)), "utf-8")

    config = yaml.safe_load((site / "mkdocs.yml").read_text("utf-8"))
    if pool.config:
        config["site_name"] = pool.config.name
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(out)
    config.setdefault("theme", {})["custom_dir"] = str(site / "overrides")
    nav = generate.nav(pool)
    nav.extend({_title(p): str(p.relative_to(site / "pages"))} for p in sorted((site / "pages").glob("*.md")))
    config["nav"] = nav
    plugins = []
    for p in config.get("plugins", []):
        if p == "search" or (isinstance(p, dict) and "search" in p):
            opts = dict(p["search"]) if isinstance(p, dict) and p["search"] else {}
            opts["jieba_dict_user"] = str(words)
            p = {"search": opts}
        plugins.append(p)
    config["plugins"] = plugins
    config["hooks"] = [str(h) for h in HOOKS]
    (src / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    t3 = time.perf_counter()
    return BuildResult(out, src, counts["pages"], counts["people"], len(pool.problems),
                       {"load": t1 - t0, "history": t2 - t1, "markdown": t3 - t2})


def _title(page: Path) -> str:
    for line in page.read_text("utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return page.stem


def run_mkdocs(config_file: Path) -> None:
    """Step two: mkdocs, in this process (no second start-up), warnings only."""
    import jieba
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    jieba.setLogLevel(logging.WARNING)
    for name in ("mkdocs", "material"):
        logging.getLogger(name).setLevel(logging.WARNING)
    if not logging.getLogger("mkdocs").handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("网站生成警告：%(message)s"))
        logging.getLogger("mkdocs").addHandler(handler)
    cfg = load_config(config_file=str(config_file))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()


def build_site(root: Path, out: Path | None = None, src: Path | None = None, as_of: dt.date | None = None) -> BuildResult:
    root = Path(root).resolve()
    out = (out or root / "build" / "site").resolve()
    src = (src or root / "build" / "site-src").resolve()
    result = write_sources(root, src, out, as_of)
    t = time.perf_counter()
    run_mkdocs(src / "mkdocs.yml")
    result.timings["mkdocs"] = time.perf_counter() - t
    return result
