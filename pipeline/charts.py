"""Charts as server-side SVG (no JavaScript, no CDN): the stage funnel, the monthly trend and
horizontal bars. Each function takes figures already computed by the selectors and returns
markup safe to put in a template; labels are escaped here.

    funnel(steps) -> SafeString             steps: [(label, count, amount_wan)]
    monthly_trend(months, bars, line) -> SafeString
        months: ['2025-01', ...]; bars: [(label, [counts]), ...] (two series);
        line: (label, [amounts in 万元]) drawn on its own axis in 亿元
    hbars(items, unit_label) -> SafeString  items: [(label, amount_wan)], largest first
"""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.money import format_yi

PALETTE = ("#1f5fa8", "#2f855a", "#d97706", "#7c3aed", "#0e7490", "#be123c")
FUNNEL_COLOURS = ("#9db7d9", "#6e97c9", "#3f77b8", "#1f5fa8", "#174a84")
TEXT = "#1d2733"
MUTED = "#5f6b7a"
GRID = "#e3e8ef"
YI = Decimal("10000")


def yi(amount) -> str:
    """万元 → 亿元 with two decimals (core.money, the one display rule)."""
    return format_yi(amount or 0)


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def _nice_max(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5, 5 × 10^n)."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def funnel(steps, *, title: str = "") -> str:
    """One centred bar per ledger column, its width by the number of projects."""
    width, row, gap, top = 640, 46, 10, 8
    height = top * 2 + len(steps) * (row + gap)
    largest = max((count for _label, count, _amount in steps), default=0) or 1
    body = []
    for index, (label, count, amount) in enumerate(steps):
        area_left, area_width = 96, width - 96 - 120
        bar = max(0.12, count / largest) * area_width
        x = area_left + (area_width - bar) / 2
        y = top + index * (row + gap)
        colour = FUNNEL_COLOURS[index % len(FUNNEL_COLOURS)]
        body.append(f'<rect x="{x:.1f}" y="{y}" width="{bar:.1f}" height="{row}" rx="6" fill="{colour}"/>')
        body.append(
            f'<text x="16" y="{y + row / 2 + 5}" font-size="15" fill="{TEXT}" font-weight="600">'
            f"{escape(label)}</text>"
        )
        body.append(
            f'<text x="{x + bar / 2:.1f}" y="{y + row / 2 + 6}" font-size="17" fill="#fff" '
            f'text-anchor="middle" font-weight="700">{count}</text>'
        )
        body.append(
            f'<text x="{width - 8}" y="{y + row / 2 + 5}" font-size="13" fill="{MUTED}" '
            f'text-anchor="end">{yi(amount)} {_("亿元")}</text>'
        )
    return _svg(width, height, body, title)


def monthly_trend(months, bars, line, *, title: str = "", unfiled=frozenset()) -> str:
    """Grouped bars (project counts, left axis) and a line (funds in place, right axis, 亿元).
    Months in `unfiled` (no progress filed yet) have no point on the line and read 未填报."""
    width, height = 1000, 300
    left, right, top, bottom = 44, 64, 34, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    # At least 4, so the count axis ticks are whole projects.
    count_max = max(4, _nice_max(max((max(values, default=0) for _label, values in bars), default=0)))
    line_label, amounts = line
    amounts_yi = [float(Decimal(a or 0) / YI) for a in amounts]
    amount_max = _nice_max(max(amounts_yi, default=0))
    slot = plot_w / max(len(months), 1)
    bar_w = min(18, slot / (len(bars) + 1.5))
    body = []
    for tick in range(5):
        y = top + plot_h - plot_h * tick / 4
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}"/>')
        count_tick = count_max * tick / 4
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" fill="{MUTED}" text-anchor="end">'
            f"{count_tick:g}</text>"
        )
        body.append(
            f'<text x="{left + plot_w + 6}" y="{y + 4:.1f}" font-size="11" fill="{MUTED}">'
            f"{amount_max * tick / 4:g}</text>"
        )
    for index, month in enumerate(months):
        centre = left + slot * index + slot / 2
        for series, (_label, values) in enumerate(bars):
            value = values[index] if index < len(values) else 0
            h = plot_h * value / count_max
            x = centre - (len(bars) * bar_w) / 2 + series * bar_w
            body.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                f'rx="2" fill="{PALETTE[series]}">'
                f"<title>{escape(month)} {escape(_label)}：{value}</title></rect>"
            )
        body.append(
            f'<text x="{centre:.1f}" y="{height - bottom + 16}" font-size="11" fill="{MUTED}" '
            f'text-anchor="middle">{escape(month[2:])}</text>'
        )
    filed = [
        (left + slot * i + slot / 2, top + plot_h - plot_h * value / amount_max, months[i], amounts[i])
        for i, value in enumerate(amounts_yi)
        if i < len(months) and months[i] not in unfiled
    ]
    for index, month in enumerate(months):
        if month in unfiled:
            centre = left + slot * index + slot / 2
            body.append(
                # Under the month's name, clear of its bars.
                f'<text x="{centre:.1f}" y="{height - bottom + 31}" font-size="11" fill="{MUTED}" '
                f'text-anchor="middle" class="unfiled">{escape(_("未填报"))}'
                f"<title>{escape(month)} {escape(_('进展尚未填报'))}</title></text>"
            )
    points = [(x, y) for x, y, _month, _value in filed]
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{PALETTE[2]}" stroke-width="2.5"/>')
        for x, y, month, value in filed:
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#fff" '
                f'stroke="{PALETTE[2]}" stroke-width="2">'
                f"<title>{escape(month)} {escape(line_label)}：{yi(value)} {_('亿元')}</title></circle>"
            )
    legend_x = left
    for series, (label, _values) in enumerate(bars):
        body.append(f'<rect x="{legend_x}" y="8" width="12" height="12" rx="2" fill="{PALETTE[series]}"/>')
        body.append(f'<text x="{legend_x + 17}" y="18" font-size="12" fill="{TEXT}">{escape(label)}</text>')
        legend_x += 30 + 13 * len(label)
    body.append(
        f'<line x1="{legend_x}" y1="14" x2="{legend_x + 16}" y2="14" '
        f'stroke="{PALETTE[2]}" stroke-width="2.5"/>'
    )
    body.append(
        f'<text x="{legend_x + 21}" y="18" font-size="12" fill="{TEXT}">'
        f"{escape(line_label)}{_('（亿元，右轴）')}</text>"
    )
    return _svg(width, height, body, title)


def hbars(items, *, title: str = "", unit_label: str = "") -> str:
    """Horizontal bars, largest first, values in 亿元."""
    items = list(items)
    unit_label = unit_label or _("亿元")
    width, row = 640, 30
    label_w = 150
    height = max(1, len(items)) * row + 12
    largest = max((Decimal(amount or 0) for _label, amount in items), default=Decimal(0)) or Decimal(1)
    body = []
    for index, (label, amount) in enumerate(items):
        y = 6 + index * row
        bar = float(Decimal(amount or 0) / largest) * (width - label_w - 110)
        body.append(
            f'<text x="{label_w - 8}" y="{y + 19}" font-size="13" fill="{TEXT}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        body.append(
            f'<rect x="{label_w}" y="{y + 5}" width="{max(bar, 2):.1f}" height="{row - 10}" rx="3" '
            f'fill="{PALETTE[0] if index else PALETTE[4]}"/>'
        )
        body.append(
            f'<text x="{label_w + max(bar, 2) + 6:.1f}" y="{y + 19}" font-size="12" fill="{MUTED}">'
            f"{yi(amount)} {escape(unit_label)}</text>"
        )
    if not items:
        body.append(
            f'<text x="{width / 2}" y="24" font-size="13" fill="{MUTED}" text-anchor="middle">—</text>'
        )
        height = 40
    return _svg(width, height, body, title)
