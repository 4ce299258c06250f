"""The /regions/ picture: a sorted bar chart of article counts, drawn as SVG at build time.

A bar chart instead of a map: it needs no map data licence, stays legible on a 390 px
phone, and its bars are links. Labels use the reader's system fonts; nothing is loaded.

Accessibility: the <svg> is a labelled group of links ("各地区文章数量", then one link per
region named "重庆：12 篇"). Not role="img": an image's children are presentational, so
its links would be focusable yet hidden from screen readers (axe: nested-interactive).
"""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from generator.model import Term
from generator.render.links import Links

ROW = 26
LABEL_WIDTH = 64
BAR_WIDTH = 250
COUNT_WIDTH = 40
TOP = 8
FONTS = "-apple-system, BlinkMacSystemFont, PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif"


def region_chart_svg(regions: tuple[Term, ...], links: Links) -> str:
    """One linked bar per region, largest first (the order of `regions`)."""
    width = LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH
    height = TOP * 2 + ROW * max(1, len(regions))
    most = max((len(t.article_ids) for t in regions), default=1)
    rows = []
    for i, term in enumerate(regions):
        count = len(term.article_ids)
        y = TOP + i * ROW
        bar = max(2, round(BAR_WIDTH * count / most))
        label = f"{term.name}：{count} 篇"
        rows.append(
            f'<a href={quoteattr(links.url(term.url_path))} aria-label={quoteattr(label)}>'
            f'<title>{escape(label)}</title>'
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{y + ROW / 2 + 5:.0f}" text-anchor="end">{escape(term.name)}</text>'
            f'<rect class="bar" fill="#b3261e" x="{LABEL_WIDTH}" y="{y + 4}" width="{bar}" height="{ROW - 8}" rx="3"/>'
            f'<text class="count" x="{LABEL_WIDTH + bar + 6}" y="{y + ROW / 2 + 5:.0f}">{count}</text></a>')
    if not regions:
        rows.append(f'<text class="label" x="{LABEL_WIDTH}" y="{TOP + ROW / 2 + 5:.0f}">暂无文章</text>')
    # Presentation attributes, not a <style> element: the page's stylesheet can still
    # restyle the inline copy (dark mode), and the file stands alone.
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="region-chart" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="group" aria-labelledby="region-chart-title" '
            f'font-family="{FONTS}" font-size="14" fill="#1d1d1f">'
            f'<title id="region-chart-title">各地区文章数量</title>'
            + "".join(rows) + "</svg>\n")
