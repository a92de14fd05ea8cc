"""A chart as data: its rows and series, and the geometry of the SVG drawn on the server.

The page shows the SVG and a data table (`web/_chart.html`); `web/charts.js` redraws the
same table with the vendored Chart.js, adding tooltips. The table is the one source, so a
reader without script, or with a screen reader, gets the same figures. Plain values in and
out: callers format the numbers for the page's language before building the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 180
PLOT_WIDTH = 320
VALUE_WIDTH = 80
COLUMN_WIDTH = 480
COLUMN_HEIGHT = 160


@dataclass(frozen=True)
class Cell:
    """One figure: its number (for drawing) and its text as the page shows it."""

    value: float
    text: str


@dataclass(frozen=True)
class Row:
    """One label of the chart with a figure per series, linked to the records it counts."""

    label: str
    cells: tuple[Cell, ...]
    href: str = ""


@dataclass(frozen=True)
class Shape:
    """One drawn mark: a bar (x, y, width, height) with its label and text."""

    x: float
    y: float
    width: float
    height: float
    label: str
    text: str


@dataclass(frozen=True)
class Chart:
    """A chart: `hbar` (horizontal bars, first series), `bar` (columns) or `line`."""

    kind: str
    caption: str
    label_header: str
    series: tuple[str, ...]
    rows: tuple[Row, ...]
    target: float | None = None
    target_label: str = ""
    target_text: str = ""
    maximum: float | None = None
    suffix: str = ""
    testid: str = ""
    shapes: tuple[Shape, ...] = field(default=(), init=False)

    def __post_init__(self) -> None:
        if self.kind not in {"hbar", "bar", "line"}:
            raise ValueError(f"unknown chart kind {self.kind!r}")
        if any(len(row.cells) != len(self.series) for row in self.rows):
            raise ValueError("every row needs one cell per series")
        object.__setattr__(self, "shapes", tuple(self._shapes()))

    @property
    def top(self) -> float:
        """The value the longest mark reaches: the given maximum, else the largest figure."""
        if self.maximum is not None:
            return self.maximum or 1
        values = [row.cells[0].value for row in self.rows if row.cells]
        if self.target is not None:
            values.append(self.target)
        return max([*values, 0]) or 1

    @property
    def width(self) -> int:
        if self.kind == "hbar":
            return LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
        return COLUMN_WIDTH

    @property
    def height(self) -> int:
        if self.kind == "hbar":
            return max(1, len(self.rows)) * (BAR_HEIGHT + BAR_GAP)
        return COLUMN_HEIGHT

    @property
    def label_width(self) -> int:
        return LABEL_WIDTH

    @property
    def points(self) -> str:
        """The line's points ("x,y x,y …") for an SVG polyline."""
        return " ".join(f"{s.x:g},{s.y:g}" for s in self.shapes)

    @property
    def target_y(self) -> float | None:
        if self.target is None:
            return None
        return round(COLUMN_HEIGHT - COLUMN_HEIGHT * min(self.target, self.top) / self.top, 1)

    def _shapes(self) -> list[Shape]:
        if not self.series:
            return []
        top = self.top
        n = len(self.rows)
        shapes = []
        for i, row in enumerate(self.rows):
            cell = row.cells[0]
            share = max(0.0, min(cell.value, top)) / top
            if self.kind == "hbar":
                shapes.append(
                    Shape(
                        x=LABEL_WIDTH,
                        y=i * (BAR_HEIGHT + BAR_GAP),
                        width=round(PLOT_WIDTH * share, 1),
                        height=BAR_HEIGHT,
                        label=row.label,
                        text=cell.text,
                    )
                )
            elif self.kind == "bar":
                slot = COLUMN_WIDTH / max(1, n)
                height = round(COLUMN_HEIGHT * share, 1)
                shapes.append(
                    Shape(
                        x=round(i * slot + slot * 0.15, 1),
                        y=round(COLUMN_HEIGHT - height, 1),
                        width=round(slot * 0.7, 1),
                        height=height,
                        label=row.label,
                        text=cell.text,
                    )
                )
            else:
                step = COLUMN_WIDTH / max(1, n - 1)
                shapes.append(
                    Shape(
                        x=round(i * step, 1),
                        y=round(COLUMN_HEIGHT - COLUMN_HEIGHT * share, 1),
                        width=0,
                        height=0,
                        label=row.label,
                        text=cell.text,
                    )
                )
        return shapes


def single(
    kind: str,
    caption: str,
    label_header: str,
    value_header: str,
    rows: Sequence[tuple[str, float, str, str]],
    **options: object,
) -> Chart:
    """A one-series chart from (label, value, text, link) rows."""
    return Chart(
        kind=kind,
        caption=caption,
        label_header=label_header,
        series=(value_header,),
        rows=tuple(
            Row(label=label, cells=(Cell(value, text),), href=href)
            for label, value, text, href in rows
        ),
        **options,  # type: ignore[arg-type]
    )
