"""The report's charts as PNG images (matplotlib, drawn offline with the Noto Sans CJK font so
Chinese labels render): the stage funnel and the twelve-month trend. The same data gives the
same bytes (no timestamp or software tag in the file).

matplotlib (and numpy under it, ~50 MB and 0.2 s) is imported when the first chart is drawn, not
when Django starts: every web process and worker imports this module through the report path."""

import io
from decimal import Decimal
from functools import cache

PALETTE = ("#1f5fa8", "#2f855a", "#d97706")
FUNNEL = ("#9db7d9", "#6e97c9", "#3f77b8", "#1f5fa8", "#174a84")
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
YI = Decimal("10000")


class FontMissing(RuntimeError):
    pass


@cache
def _matplotlib():
    """matplotlib's font manager and Figure, for files only (the Agg backend: no display)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    return font_manager, Figure


@cache
def cjk_font():
    """A font with Chinese glyphs (fonts-noto-cjk on Debian); without one the charts would
    show boxes, so refuse instead."""
    font_manager, _figure = _matplotlib()
    for path in font_manager.findSystemFonts():
        if "NotoSansCJK-Regular" in path or "NotoSansCJKsc-Regular" in path:
            return font_manager.FontProperties(fname=path)
    names = {font.name for font in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in names:
            return font_manager.FontProperties(family=family)
    raise FontMissing("没有中文字体（请安装 fonts-noto-cjk），报告图表无法显示中文。")


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    return buffer.getvalue()


def _yi(amount) -> float:
    return float(Decimal(str(amount or 0)) / YI)


def funnel_png(columns: list[dict], *, title: str, unit_label: str) -> bytes:
    """One centred bar per ledger column, its width by the number of projects."""
    font = cjk_font()
    figure = _matplotlib()[1](figsize=(6.4, 3.2))
    axes = figure.subplots()
    largest = max((column["count"] for column in columns), default=0) or 1
    for index, column in enumerate(columns):
        width = max(column["count"] / largest, 0.08)
        y = len(columns) - 1 - index
        axes.barh(y, width, left=(1 - width) / 2, height=0.8, color=FUNNEL[index % len(FUNNEL)])
        axes.text(
            0.5,
            y,
            str(column["count"]),
            ha="center",
            va="center",
            color="white",
            fontproperties=font,
            fontsize=11,
            weight="bold",
        )
        axes.text(-0.02, y, column["label"], ha="right", va="center", fontproperties=font, fontsize=10)
        axes.text(
            1.02,
            y,
            f"{_yi(column['total_investment']):,.2f} {unit_label}",
            ha="left",
            va="center",
            fontproperties=font,
            fontsize=9,
            color="#5f6b7a",
        )
    axes.set_xlim(-0.3, 1.35)
    axes.set_ylim(-0.6, len(columns) - 0.4)
    axes.axis("off")
    axes.set_title(title, fontproperties=font, fontsize=12)
    figure.tight_layout()
    return _png(figure)


def trend_png(trend: dict, *, title: str, labels: tuple[str, str, str], unit_label: str) -> bytes:
    """Signings and starts per month as bars (left axis), funds in place as a line (亿元)."""
    font = cjk_font()
    figure = _matplotlib()[1](figsize=(7.2, 3.4))
    axes = figure.subplots()
    months = [month[2:] for month in trend["months"]]
    positions = range(len(months))
    axes.bar([p - 0.2 for p in positions], trend["signed"], width=0.4, color=PALETTE[0], label=labels[0])
    axes.bar([p + 0.2 for p in positions], trend["started"], width=0.4, color=PALETTE[1], label=labels[1])
    axes.set_xticks(list(positions), months, fontsize=8)
    axes.yaxis.get_major_locator().set_params(integer=True)
    line = axes.twinx()
    line.plot(
        list(positions),
        [_yi(value) for value in trend["funds"]],
        color=PALETTE[2],
        marker="o",
        label=f"{labels[2]}（{unit_label}）",
    )
    line.set_ylim(bottom=0)
    handles = axes.get_legend_handles_labels()
    more = line.get_legend_handles_labels()
    axes.legend(
        handles[0] + more[0],
        handles[1] + more[1],
        prop=font,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=3,
        frameon=False,
    )
    axes.set_title(title, fontproperties=font, fontsize=12)
    for spine in ("top",):
        axes.spines[spine].set_visible(False)
        line.spines[spine].set_visible(False)
    figure.tight_layout()
    return _png(figure)
