"""Server-side SVG charts for the dashboard: no script, so the strict CSP holds.

Every function is pure and returns markup built from escaped text only: labels come
from the data (channel names, campaign names, message texts) and are never trusted.
Each chart is an accessible image: role="img", an aria-label and a <title>; every bar
and point has its own <title>, shown as a tooltip.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

from markupsafe import Markup

PALETTE = ("#3a5bd9", "#1f8a4c", "#b7791f", "#c23b3b", "#7b4bd1", "#2a9bb5", "#5d6b7e",
           "#d9663a", "#8a9a1f", "#b5427b")  # fmt: skip
WIDTH = 640  # bar charts; the time series are wider
WIDE = 960
LABEL_W = 150  # room for the category labels of horizontal bars
BAR_H, GAP = 18, 8
Series = tuple[str, Sequence[float]]
Format = Callable[[float], str]


def number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def bar_chart(title: str, bars: Sequence[tuple[str, float]], fmt: Format = number) -> Markup:
    """Horizontal bars, one per (label, value)."""
    return grouped_bar_chart(
        title, [label for label, _ in bars], [("", [value for _, value in bars])], fmt
    )


def grouped_bar_chart(
    title: str, categories: Sequence[str], series: Sequence[Series], fmt: Format = number
) -> Markup:
    """Horizontal bars per category, one bar per series (e.g. funnel stages by channel)."""
    legend = _legend(series) if len(series) > 1 else ([], 0)
    top = legend[1]
    group_h = max(1, len(series)) * BAR_H + GAP * 2
    height = top + max(1, len(categories)) * group_h
    peak = max([v for _, values in series for v in values] + [0]) or 1
    room = WIDTH - LABEL_W - 60
    parts = list(legend[0])
    for row, category in enumerate(categories):
        y0 = top + row * group_h + GAP
        parts.append(_text(LABEL_W - 8, y0 + group_h / 2 - GAP, category, "end"))
        for index, (name, values) in enumerate(series):
            value = values[row] if row < len(values) else 0
            y, width = y0 + index * BAR_H, max(room * value / peak, 0.0)
            tip = f"{category}{f' · {name}' if name else ''}: {fmt(value)}"
            parts.append(_rect(LABEL_W, y + 2, width, BAR_H - 4, colour(index), tip))
            parts.append(_text(LABEL_W + width + 4, y + BAR_H - 5, fmt(value), "start"))
    if not categories:
        parts.append(_text(WIDTH / 2, height / 2, "No data", "middle"))
    return _svg(title, WIDTH, height, parts)


def column_chart(
    title: str, labels: Sequence[str], series: Sequence[Series], fmt: Format = number
) -> Markup:
    """Vertical bars per period (x), side by side per series (e.g. new contacts, leads)."""
    legend, top = _legend(series)
    plot_h, left, bottom = 160, 40, 36
    height = top + plot_h + bottom
    peak = _round_up(max([v for _, values in series for v in values] + [0]))
    slot = (WIDE - left - 30) / max(1, len(labels))
    bar_w = max(slot * 0.8 / max(1, len(series)), 1.0)
    parts = [*legend, *_y_axis(left, top, plot_h, peak, fmt)]
    every = _label_step(labels, slot)
    for column, label in enumerate(labels):
        x0 = left + column * slot + slot * 0.1
        for index, (name, values) in enumerate(series):
            value = values[column] if column < len(values) else 0
            bar = plot_h * value / peak
            tip = f"{label} · {name}: {fmt(value)}"
            parts.append(
                _rect(x0 + index * bar_w, top + plot_h - bar, bar_w, bar, colour(index), tip)
            )
        if column % every == 0:
            parts.append(_text(x0 + slot * 0.4, top + plot_h + 16, label, "middle"))
    if not labels:
        parts.append(_text(WIDE / 2, top + plot_h / 2, "No data", "middle"))
    return _svg(title, WIDE, height, parts)


def rate_chart(
    title: str, points: Sequence[tuple[str, float | None]], *, name: str = "rate"
) -> Markup:
    """A line of rates (0..1) per period; None (nothing to measure) breaks the line."""
    plot_h, left, top, bottom = 160, 48, 10, 36
    height = top + plot_h + bottom
    peak = max([p for _, p in points if p is not None] + [0.0])
    ceiling = min(1.0, max(0.1, peak * 1.2))
    slot = (WIDE - left - 30) / max(1, len(points))
    parts = _y_axis(left, top, plot_h, ceiling, percent)
    line: list[str] = []
    every = _label_step([label for label, _ in points], slot)
    for index, (label, rate) in enumerate(points):
        x = left + slot * (index + 0.5)
        if index % every == 0:
            parts.append(_text(x, top + plot_h + 16, label, "middle"))
        if rate is None:
            parts.append(_polyline(line))
            line = []
            continue
        y = top + plot_h - plot_h * rate / ceiling
        line.append(f"{x:.1f},{y:.1f}")
        tip = f"{label} · {name}: {percent(rate)}"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour(3)}">'
            f"<title>{escape(tip)}</title></circle>"
        )
    parts.append(_polyline(line))
    if not any(rate is not None for _, rate in points):
        parts.append(_text(WIDE / 2, top + plot_h / 2, "No data", "middle"))
    return _svg(title, WIDE, height, parts)


def _label_step(labels: Sequence[str], slot: float) -> int:
    """Label every n-th period so that the x labels never overlap (~7 units a letter)."""
    widest = max((len(label) for label in labels), default=0) * 7 + 10
    return max(1, math.ceil(widest / max(slot, 1.0)))


def _round_up(peak: float) -> float:
    """The axis top: four gridline steps of 1, 2 or 5 times a power of ten."""
    step = 1.0
    while step * 4 < peak:
        for factor in (2.0, 2.5, 2.0):  # 1 -> 2 -> 5 -> 10 -> 20 ...
            step *= factor
            if step * 4 >= peak:
                break
    return step * 4


def _svg(title: str, width: int, height: float, parts: Sequence[str]) -> Markup:
    label = escape(title)
    body = "".join(p for p in parts if p)
    return Markup(
        f'<svg class="chart" role="img" aria-label="{label}" viewBox="0 0 {width} {height:.0f}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{label}</title>{body}</svg>'
    )


def _legend(series: Sequence[Series]) -> tuple[list[str], int]:
    parts, x = [], 0.0
    for index, (name, _) in enumerate(series):
        parts.append(f'<rect x="{x:.1f}" y="4" width="12" height="12" fill="{colour(index)}"/>')
        parts.append(_text(x + 16, 14, name, "start"))
        x += 28 + 7 * len(name)
    return parts, 26


def _y_axis(left: float, top: float, plot_h: float, peak: float, fmt: Format) -> list[str]:
    parts = []
    for step in range(5):
        value = peak * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{left}" x2="{WIDE - 30}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#d9dee6" stroke-width="1"/>'
        )
        parts.append(_text(left - 4, y + 4, fmt(value), "end"))
    return parts


def _rect(x: float, y: float, width: float, height: float, fill: str, tip: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'fill="{fill}"><title>{escape(tip)}</title></rect>'
    )


def _text(x: float, y: float, text: str, anchor: str) -> str:
    shown = text if len(text) <= 40 else text[:39] + "…"
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(shown)}</text>'


def _polyline(points: list[str]) -> str:
    if len(points) < 2:
        return ""
    return (
        f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour(3)}" stroke-width="2"/>'
    )
