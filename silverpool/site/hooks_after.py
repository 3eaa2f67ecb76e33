"""mkdocs hook that runs after the search plugin (a hook module holds one function per event):
puts back the record pages' HTML body set aside by hooks.py, with its headings in the page's
table of contents."""

from __future__ import annotations

from html import escape

from mkdocs.plugins import event_priority
from mkdocs.structure.toc import AnchorLink


@event_priority(-50)  # after the search plugin indexed the head (title and summary) only
def on_page_context(context, page, **kwargs):
    body = getattr(page, "_sp_body", None)
    if body is None:
        return context
    del page._sp_body
    parts = [page.content]
    links = []
    for i, (heading, html) in enumerate(body, 1):
        anchor = f"s{i}"
        parts.append(f'<h2 id="{anchor}">{escape(heading)}</h2>\n{html}')
        links.append(AnchorLink(escape(heading), anchor, 2))
    page.content = "\n".join(parts)
    toc = list(page.toc)
    if toc and toc[0].level == 1:
        toc[0].children.extend(links)
    else:
        page.toc.items.extend(links)
    return context
