"""Making data safe to put into generated Markdown and HTML.

Every value from the data goes through `md()` (Markdown pages) or markupsafe's escape (raw HTML
blocks such as charts), so text like `<img src=x onerror=...>`, `[x](javascript:...)` or
`{{ 7*7 }}` shows literally. Contact details are masked here, in one place.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup, escape

# Characters Python-Markdown (with the tables extension) treats as markup and lets us
# backslash-escape; '<', '>' and '&' become entities instead.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()|!])")
_LINE_START = re.compile(r"^([#+\-])")  # headings and list markers only count at a line start
_SPACES = re.compile(r"\s+")
_LIST_NUMBER = re.compile(r"^(\d+)\.(?=\s|$)")


def md(value: object) -> Markup:
    """One value as inline Markdown text that renders exactly as written."""
    if isinstance(value, Markup):
        return value
    text = _SPACES.sub(" ", str(value)).strip()
    text = html.escape(text, quote=False)  # & < > as entities: no raw HTML can form
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\\\1", text)
    text = _LIST_NUMBER.sub(r"\1\\.", text)
    return Markup(text)


def md_paragraphs(value: object) -> Markup:
    """Free text (summaries, descriptions) as escaped Markdown paragraphs."""
    paras = [p for p in re.split(r"\n\s*\n", str(value or "")) if p.strip()]
    return Markup("\n\n".join(md(p) for p in paras))


def mask_phone(phone: str | None) -> str:
    """138****5678 for mobiles, 0571-****4321 for landlines; nothing else is ever shown."""
    if not phone:
        return ""
    digits = phone.replace(" ", "")
    if "-" in digits:
        area, _, number = digits.partition("-")
        return f"{area}-****{number[-4:]}" if len(number) >= 4 else f"{area}-****"
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return "****"


_STREET = re.compile(r"^.*?(街道|镇|乡)")


def street_only(address: str | None, old_district: str | None = None, new_district: str | None = None) -> str:
    """An address cut after its street, town or township (杭州市西湖区北山街道12号 → …北山街道).

    Without one of those the address is not shown at all (the district is shown elsewhere)."""
    if not address:
        return ""
    m = _STREET.match(address.strip())
    if not m:
        return ""
    text = m.group(0)
    if old_district and new_district and old_district != new_district:
        text = text.replace(old_district, new_district)
    return text
