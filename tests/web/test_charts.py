"""The charts' data and geometry (pure): the SVG the server draws and the table beside it."""

from __future__ import annotations

import pytest

from synergy_hub.web import charts


def _rows(*values: float) -> list[tuple[str, float, str, str]]:
    return [(f"r{i}", v, f"{v:g}", f"/r{i}") for i, v in enumerate(values)]


def test_horizontal_bars_scale_to_the_largest_value() -> None:
    chart = charts.single("hbar", "c", "Group", "Count", _rows(10, 5, 0))
    widths = [s.width for s in chart.shapes]
    assert widths == [charts.PLOT_WIDTH, charts.PLOT_WIDTH / 2, 0]
    assert [s.y for s in chart.shapes] == [0, 30, 60]
    assert chart.height == 3 * (charts.BAR_HEIGHT + charts.BAR_GAP)
    assert charts.single("hbar", "c", "g", "v", []).shapes == ()


def test_a_given_maximum_caps_bars_like_percentages() -> None:
    chart = charts.single("hbar", "c", "g", "%", _rows(50, 150), maximum=100)
    assert [s.width for s in chart.shapes] == [charts.PLOT_WIDTH / 2, charts.PLOT_WIDTH]


def test_line_puts_the_target_on_top_when_not_reached() -> None:
    chart = charts.single("line", "c", "m", "n", _rows(0, 5, 10), target=100)
    assert chart.target_y == 0
    assert chart.points == "0,160 240,152 480,144"
    assert chart.shapes[-1].text == "10"


def test_columns_share_the_width() -> None:
    chart = charts.single("bar", "c", "day", "uses", _rows(4, 2))
    first, second = chart.shapes
    assert first.height == charts.COLUMN_HEIGHT and second.height == charts.COLUMN_HEIGHT / 2
    assert second.x > first.x + first.width


def test_rows_need_a_cell_per_series_and_a_known_kind() -> None:
    with pytest.raises(ValueError, match="one cell per series"):
        charts.Chart("bar", "c", "g", ("a", "b"), (charts.Row("x", (charts.Cell(1, "1"),)),))
    with pytest.raises(ValueError, match="unknown chart kind"):
        charts.single("pie", "c", "g", "v", [])
