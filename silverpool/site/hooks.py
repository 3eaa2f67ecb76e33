"""mkdocs hooks for the site (loaded by path from the generated mkdocs.yml).

Person and activity pages are most of a large site (20,000+), so they are built cheaply:
- they use a lighter page template (the navigation's top level only);
- their Markdown is a head (title, summary line: what search indexes) followed by a body made
  only of `## ` headings and ready HTML blocks (every value escaped by the generator). Such a
  body needs no Markdown parsing: it is set aside here and put back after the search plugin
  has read the page (hooks_after.py). Any other body is left to Markdown as usual.
"""

from __future__ import annotations

import json
import os
import re

from mkdocs.plugins import event_priority

_HEADING = re.compile(r"^## (.+?)(?: \{[^}]*\})?$")


def is_record(page) -> bool:
    uri = page.file.src_uri
    return uri.startswith("people/") or (uri.startswith("activities/") and uri.count("/") == 2 and uri.split("/")[2].startswith("A"))


def split_body(markdown: str) -> tuple[str, list[tuple[str, str]]] | None:
    """(head, [(heading, html)]) when everything after the first `## ` is headings and HTML
    blocks; None otherwise."""
    start = markdown.find("\n## ")
    if start < 0:
        return None
    sections: list[tuple[str, list[str]]] = []
    for line in markdown[start + 1 :].split("\n"):
        if not line.strip():
            continue
        m = _HEADING.match(line)
        if m:
            sections.append((m.group(1), []))
        elif line.startswith("<") and sections:
            sections[-1][1].append(line)
        else:
            return None
    return markdown[:start], [(h, "\n".join(body)) for h, body in sections]


def on_page_markdown(markdown, page, **kwargs):
    if not is_record(page):
        return markdown
    page.meta.setdefault("template", "record.html")
    parts = split_body(markdown)
    if parts is None:
        return markdown
    page._sp_body = parts[1]
    return parts[0]


@event_priority(-50)  # after the search plugin wrote its index, before the offline plugin copies it
def on_post_build(config, **kwargs):
    """Write the search index as UTF-8 instead of \\u escapes: Chinese text takes a third of
    the space, which matters with 20,000 profiles."""
    path = os.path.join(config.site_dir, "search", "search_index.json")
    if not os.path.isfile(path):
        return
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
