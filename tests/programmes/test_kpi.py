"""KPI arithmetic alone: progress, monthly series, chart geometry and locale numbers."""

from __future__ import annotations

import datetime

from synergy_hub.programmes import kpi


def test_progress_is_capped_and_reached() -> None:
    due = datetime.date(2028, 12, 31)
    assert kpi.Progress("pilot_projects", 100, 37, due).percent == 37
    assert kpi.Progress("batches", 3, 4, due).percent == 100
    assert kpi.Progress("batches", 3, 3, due).reached


def test_month_starts_cross_the_year() -> None:
    months = kpi.month_starts(datetime.date(2027, 2, 14), 3)
    assert months == [
        datetime.date(2026, 12, 1),
        datetime.date(2027, 1, 1),
        datetime.date(2027, 2, 1),
    ]


def test_cumulative_counts_at_each_months_end() -> None:
    months = [datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)]
    dates = [datetime.date(2026, 10, 3), datetime.date(2026, 11, 30), datetime.date(2026, 12, 31)]
    assert kpi.cumulative(dates, months) == [2, 3]


def test_numbers_follow_the_readers_language() -> None:
    assert kpi.format_number(12345, "en") == "12,345"
    assert kpi.format_number(12345, "zh-hans") == "1.23万"
    assert kpi.format_number(20000, "zh-hans") == "2万"
    assert kpi.format_number(9999, "zh-hans") == "9,999"


def test_xlsx_workbook_reads_back() -> None:
    import io
    import zipfile

    from synergy_hub.programmes import xlsx

    data = xlsx.workbook("KPI", ["key", "value"], [["pilot_projects", 12], ["试点 <&>", 3.5]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="B2"><v>12</v></c>' in sheet
    assert "试点 &lt;&amp;&gt;" in sheet
    assert xlsx._column(0) == "A" and xlsx._column(26) == "AA"
