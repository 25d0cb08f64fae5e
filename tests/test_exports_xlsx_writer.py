"""The streamed XLSX writer (facilitator/storage/xlsx.py), read back with openpyxl."""

from __future__ import annotations

from openpyxl import load_workbook

from facilitator.storage.xlsx import XlsxWriter, _column


def test_values_read_back_as_written(tmp_path):
    path = tmp_path / "t.xlsx"
    wide = [f"c{i}" for i in range(30)]
    with XlsxWriter(path) as book:
        with book.sheet("First: [odd] name", widths=(10, 20)) as sheet:
            sheet.append(["text", "number", "float", "bool", "empty", "xml"], header=True)
            sheet.append(["  spaced  ", 42, 33.3, True, None, "<b>&amp; \"quoted\"</b>"])
            sheet.append(["bell\x07 gone", -1, 0.0, False, "", "tab\there"])
            sheet.append(wide)
        with book.sheet("Second") as sheet:
            sheet.append(["only"])
    wb = load_workbook(path)
    assert wb.sheetnames == ["First   odd  name", "Second"]
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "A2" and ws["A1"].font.b and not ws["A2"].font.b
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[1][:6] == ["  spaced  ", 42, 33.3, True, None, "<b>&amp; \"quoted\"</b>"]
    assert rows[2][:6] == ["bell gone", -1, 0, False, None, "tab\there"]
    assert rows[3] == wide
    assert ws.column_dimensions["B"].width == 20
    assert [list(r) for r in wb["Second"].iter_rows(values_only=True)] == [["only"]]


def test_column_letters():
    assert [_column(i) for i in (0, 25, 26, 51, 52, 701, 702)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def test_nothing_is_finished_after_an_error(tmp_path):
    path = tmp_path / "bad.xlsx"
    try:
        with XlsxWriter(path) as book:
            with book.sheet("S") as sheet:
                sheet.append(["a"])
                raise RuntimeError("stop")
    except RuntimeError:
        pass
    import zipfile

    assert "xl/workbook.xml" not in zipfile.ZipFile(path).namelist()
