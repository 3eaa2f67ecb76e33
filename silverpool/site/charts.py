"""Charts drawn at build time as inline SVG: no chart library, nothing loaded from anywhere."""

from __future__ import annotations

from markupsafe import Markup, escape


def bar_chart(title: str, rows: list[tuple[str, int | float]], unit: str = "人") -> Markup:
    """A horizontal bar chart of (label, value) rows, as one raw HTML block for Markdown."""
    if not rows:
        return Markup(f'<p class="sp-empty">{escape(title)}：暂无数据</p>')
    label_w, bar_w, row_h, top = 150, 360, 24, 8
    width = label_w + bar_w + 90
    height = top * 2 + row_h * len(rows)
    biggest = max(v for _, v in rows) or 1
    parts = [
        f'<figure class="sp-chart" data-search-exclude><figcaption>{escape(title)}</figcaption>',
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
    ]
    for i, (label, value) in enumerate(rows):
        y = top + i * row_h
        w = max(1.0, bar_w * value / biggest) if value else 0
        shown = f"{value:g}"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" class="sp-chart-label">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" rx="2" class="sp-chart-bar"><title>{escape(label)}：{shown} {escape(unit)}</title></rect>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" class="sp-chart-value">{shown}</text>'
        )
    parts.append("</svg></figure>")
    # One line, no blank lines: Markdown passes it through as a raw HTML block.
    return Markup("".join(parts))
