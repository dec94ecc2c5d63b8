"""The report's value-vs-effort chart, drawn twice: wide (points named) and for a phone
(points numbered by rank, the names in a key below, text that stays readable at 390 px).
Labels are placed so that none covers another, a point, or a quadrant's name: each tries
spots around its point, best-ranked first, and takes the first free one. report.js redraws
the chart the same way (same estimates, same order) when the weights move."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..analyses.matrix import Placement

__all__ = ["PHONE", "WIDE", "ChartShape", "estimated_width", "rank_label", "scatter"]


@dataclass(frozen=True)
class ChartShape:
    """One drawing of the chart, in SVG units (the wide one scales down with the page; the
    phone one is about as many units wide as a phone has pixels, so its text stays ~12 px)."""

    id: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    font: float  # label text size
    line: float  # label line height (1.3 × the size leaves room for any font's ascent)
    ranks: bool  # label points by rank (names in the key) instead of by name

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom


WIDE = ChartShape("matrix", 720, 520, 48, 24, 44, 84, 11, 14.3, False)
PHONE = ChartShape("matrix-phone", 360, 350, 44, 10, 32, 60, 12, 15.6, True)

# Character widths in em, on the generous side of common sans-serif fonts, so that a label's
# estimated box holds its real one.
_WIDE_CHARS = set("mwMW@%")
_NARROW_CHARS = set("iljtfrI.,:;!'|() ")


def estimated_width(text: str, size: float) -> float:
    """About how wide a line of text is drawn, never much less."""
    em = 0.0
    for char in text:
        if char in _WIDE_CHARS or ord(char) >= 0xC0:
            em += 1.0
        elif char in _NARROW_CHARS:
            em += 0.4
        elif "A" <= char <= "Z":
            em += 0.78
        else:
            em += 0.66
    return em * size


def rank_label(ranks: list[int]) -> str:
    """The label of a spot on the phone chart: `3`, `4,5,7,8`, `1,2,3 +7`."""
    if len(ranks) <= 4:
        return ",".join(map(str, ranks))
    return ",".join(map(str, ranks[:3])) + f" +{len(ranks) - 3}"


Box = tuple[float, float, float, float]  # x, y, width, height
LABELLED = 40  # spots named on the chart, best-ranked first (hover names the rest)
GRID = 24.0  # the cell size of the index that finds the boxes a box may hit


class _Taken:
    """Boxes on the chart, indexed by grid cells so that a test looks only nearby."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[Box]] = {}

    @staticmethod
    def _cells(box: Box, pad: float) -> list[tuple[int, int]]:
        x0, x1 = math.floor((box[0] - pad) / GRID), math.floor((box[0] + box[2] + pad) / GRID)
        y0, y1 = math.floor((box[1] - pad) / GRID), math.floor((box[1] + box[3] + pad) / GRID)
        return [(i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1)]

    def add(self, box: Box) -> None:
        for cell in self._cells(box, 0.0):
            self.cells.setdefault(cell, []).append(box)

    def hits(self, box: Box) -> bool:
        return any(
            _hits(box, other)
            for cell in self._cells(box, 1.0)
            for other in self.cells.get(cell, ())
        )


def _hits(a: Box, b: Box) -> bool:
    pad = 1.0
    return (
        a[0] < b[0] + b[2] + pad
        and b[0] < a[0] + a[2] + pad
        and a[1] < b[1] + b[3] + pad
        and b[1] < a[1] + a[3] + pad
    )


def _candidates(
    cx: float, cy: float, r: float, w: float, h: float, line: float
) -> list[tuple[float, float, str]]:
    """Where a label of w × h may go around a point: (box x, box y, text-anchor), best first:
    beside it, stacked down or up; above or below it; then further off."""
    gap = 3.0
    right, left = cx + r + gap, cx - r - gap - w
    level = cy - line / 2  # the first line level with the point
    up = cy + line / 2 - h
    above, below = cy - r - gap - h, cy + r + gap
    return [
        (right, level, "start"),
        (left, level, "end"),
        (right, up, "start"),
        (left, up, "end"),
        (cx - w / 2, above, "middle"),
        (cx - w / 2, below, "middle"),
        (right, above, "start"),
        (left, above, "end"),
        (right, below, "start"),
        (left, below, "end"),
        (right, level - line, "start"),
        (left, level - line, "end"),
        (right, level + line, "start"),
        (left, level + line, "end"),
    ]


def scatter(
    placements: list[Placement], value_split: float, effort_split: float, shape: ChartShape
) -> tuple[str, dict[str, object]]:
    """The chart as SVG, and its shape for the script that redraws its points."""
    s = shape
    plot_w, plot_h = s.plot_width, s.plot_height

    def x(effort: float) -> float:
        return s.left + plot_w * effort / 100

    def y(value: float) -> float:
        return s.top + plot_h * (1 - value / 100)

    sx, sy = x(effort_split), y(value_split)
    base = s.top + plot_h
    right = s.left + plot_w
    out = [
        f'<svg id="{s.id}" class="chart" viewBox="0 0 {s.width} {s.height}" '
        f'width="{s.width}" height="{s.height}" role="img" '
        'aria-label="Value versus effort scatter chart">',
        f'<rect x="{s.left}" y="{s.top}" width="{plot_w}" height="{plot_h}" fill="#f9fafb" '
        'stroke="#d1d5db"/>',
        f'<line x1="{sx:.1f}" y1="{s.top}" x2="{sx:.1f}" y2="{base}" '
        'stroke="#9ca3af" stroke-dasharray="4 4"/>',
        f'<line x1="{s.left}" y1="{sy:.1f}" x2="{right}" y2="{sy:.1f}" '
        'stroke="#9ca3af" stroke-dasharray="4 4"/>',
        f'<text class="quadrant" x="{s.left}" y="{s.top - 16}" fill="#16a34a">↖ Quick wins</text>',
        f'<text class="quadrant" x="{right}" y="{s.top - 16}" text-anchor="end">Big bets ↗</text>',
        f'<text class="quadrant" x="{s.left}" y="{base + 44}">↙ Fill-ins</text>',
        f'<text class="quadrant" x="{right}" y="{base + 44}" text-anchor="end" '
        'fill="#dc2626">Money pits ↘</text>',
        f'<text class="axis" x="{s.left + plot_w / 2}" y="{s.height - 12}" '
        'text-anchor="middle">effort →</text>',
        f'<text class="axis" x="10" y="{s.top + plot_h / 2}" text-anchor="middle" '
        f'transform="rotate(-90 10 {s.top + plot_h / 2})">value →</text>',
    ]
    for tick in (0, 25, 50, 75, 100):
        # Clear of the biggest dot a point on an edge can have.
        out.append(
            f'<text class="axis" x="{x(tick):.1f}" y="{base + 24}" text-anchor="middle">'
            f"{tick}</text>"
        )
        out.append(
            f'<text class="axis" x="{s.left - 12}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{tick}</text>"
        )
    points = [(p.effort, p.value, p.item.integration, p.item.rank) for p in placements]
    elements, unnamed = _points(points, shape)
    out.append(f'<g class="points">{"".join(elements)}</g></svg>')
    if not shape.ranks:  # the phone's key names everyone
        out.append(
            f'<p class="note" id="{shape.id}-unnamed"{"" if unnamed else " hidden"}>'
            f"{unnamed_note(unnamed)}</p>"
        )
    geometry: dict[str, object] = {
        **asdict(shape),
        "plotWidth": plot_w,
        "plotHeight": plot_h,
        "labelled": LABELLED,
        "grid": GRID,
    }
    return "\n".join(out), geometry


def unnamed_note(count: int) -> str:
    """Under a chart with points left unnamed."""
    many = f"{count:,} integrations are" if count != 1 else "1 integration is"
    return f"{many} not named on the chart, for lack of room: hover a point for its names."


def _points(points: list[tuple[float, float, str, int]], s: ChartShape) -> tuple[list[str], int]:
    """The points (those at one spot share a dot), then the labels of the first LABELLED
    spots where they fit: clear of other labels and of every point, else (a crowded chart)
    clear of other labels only. Also how many integrations went unnamed."""
    spots: dict[str, list[tuple[float, float, str, int]]] = {}
    for point in points:
        spots.setdefault(f"{point[0]:.1f},{point[1]:.1f}", []).append(point)
    plot_w, plot_h = s.plot_width, s.plot_height
    dots = []
    for group in spots.values():
        cx = s.left + plot_w * group[0][0] / 100
        cy = s.top + plot_h * (1 - group[0][1] / 100)
        r = (4 + min(len(group), 4)) if s.ranks else (5 + min(len(group), 6))
        dots.append((cx, cy, r, group))
    on_dots, on_labels = _Taken(), _Taken()
    for cx, cy, r, _ in dots:
        on_dots.add((cx - r, cy - r, 2 * r, 2 * r))
    out, labels = [], []
    unnamed = 0
    for n, (cx, cy, r, group) in enumerate(dots):
        names = ", ".join(name for _, _, name, _ in group)
        out.append(
            f'<circle class="point" cx="{cx:.1f}" cy="{cy:.1f}" r="{r}">'
            f"<title>{escape(names)}</title></circle>"
        )
        lines = _lines(group, s)
        w = max(estimated_width(text, s.font) for text in lines)
        h = s.line * len(lines)
        box = None
        if n < LABELLED:
            box = _free_box(_candidates(cx, cy, r, w, h, s.line), w, h, s, on_dots, on_labels)
        if box is None:
            unnamed += len(group)
            continue
        on_labels.add(box[:4])
        labels.append(_label(box[:4], box[4], lines, s))
    return out + labels, unnamed


def _free_box(
    candidates: list[tuple[float, float, str]],
    w: float,
    h: float,
    s: ChartShape,
    on_dots: _Taken,
    on_labels: _Taken,
) -> tuple[float, float, float, float, str] | None:
    """The first candidate inside the plot that hits nothing (then: no label)."""
    right, bottom = s.left + s.plot_width, s.top + s.plot_height
    for avoid_dots in (True, False):
        for bx, by, anchor in candidates:
            box = (bx, by, w, h)
            if bx < s.left or by < s.top or bx + w > right or by + h > bottom:
                continue
            if on_labels.hits(box) or (avoid_dots and on_dots.hits(box)):
                continue
            return (bx, by, w, h, anchor)
    return None


def _lines(group: list[tuple[float, float, str, int]], s: ChartShape) -> list[str]:
    if s.ranks:
        return [rank_label([rank for *_, rank in group])]
    names = [name for _, _, name, _ in group]
    return names if len(names) <= 6 else [*names[:5], f"+{len(names) - 5} more"]


def _label(box: Box, anchor: str, lines: list[str], s: ChartShape) -> str:
    bx, by, w, _ = box
    tx = bx if anchor == "start" else bx + w if anchor == "end" else bx + w / 2
    baseline = by + s.line * 0.75
    spans = "".join(
        f'<tspan x="{tx:.1f}" y="{baseline + n * s.line:.1f}">{escape(text)}</tspan>'
        for n, text in enumerate(lines)
    )
    return f'<text class="label" text-anchor="{anchor}">{spans}</text>'
