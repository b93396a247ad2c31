"""Monthly trends as server-rendered SVG: no JavaScript, readable on a phone (the chart scales
to the screen's width), and each chart's figures also given as a table for screen readers."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 640, 240, 16, 28, 44


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    x: float
    y: float
    width: float
    height: float
    show_label: bool


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    unit: str
    bars: list[Bar]
    ticks: list[tuple[float, str]]  # (y, label)
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    left: int = LEFT


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1
    step = 10 ** (len(str(int(value))) - 1)
    return (int(value / step) + 1) * step


def bar_chart(
    chart_id: str,
    title: str,
    unit: str,
    points: list[tuple[str, float | None]],
    top: float | None = None,
):
    """`top`: the axis' end (100 for a share), else a round number above the largest bar."""
    top = top or _nice_top(max((v or 0 for _, v in points), default=0))
    inner_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / max(len(points), 1)
    every = max(1, len(points) // 8)  # at most eight month labels on the axis
    bars = []
    for i, (label, value) in enumerate(points):
        h = inner_h * (value or 0) / top
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(LEFT + i * slot + slot * 0.15, 1),
                y=round(HEIGHT - BOTTOM - h, 1),
                width=round(slot * 0.7, 1),
                height=round(h, 1),
                show_label=i % every == 0,
            )
        )
    ticks = [(round(HEIGHT - BOTTOM - inner_h * k / 4, 1), f"{top * k / 4:g}") for k in range(5)]
    return Chart(chart_id, title, unit, bars, ticks)
