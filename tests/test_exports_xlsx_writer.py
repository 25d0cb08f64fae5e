"""The streamed XLSX book (facilitator/storage/xlsx.py, on XlsxWriter), read back with openpyxl."""

from __future__ import annotations

from openpyxl import load_workbook

from facilitator.storage.xlsx import XlsxBook


def test_values_read_back_as_written(tmp_path):
    path = tmp_path / "t.xlsx"
    wide = [f"c{i}" for i in range(30)]
    with XlsxBook(path) as book:
        with book.sheet("First: [odd] name", widths=(10, 20)) as sheet:
            sheet.append(["text", "number", "float", "bool", "empty", "xml"], header=True)
            sheet.append(["  spaced  ", 42, 33.3, True, None, '<b>&amp; "quoted"</b>'])
            sheet.append(["bell\x07 gone", -1, 0.0, False, "", "tab\there"])
            sheet.append(wide)
        with book.sheet("Second") as sheet:
            sheet.append(["only"])
    wb = load_workbook(path)
    assert wb.sheetnames == ["First   odd  name", "Second"]
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "A2" and ws["A1"].font.b and not ws["A2"].font.b
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[1][:6] == ["  spaced  ", 42, 33.3, True, None, '<b>&amp; "quoted"</b>']
    assert rows[2][:6] == ["bell gone", -1, 0, False, None, "tab\there"]
    assert rows[3] == wide
    assert round(ws.column_dimensions["B"].width) == 21  # XlsxWriter adds the cell padding
    assert [list(r) for r in wb["Second"].iter_rows(values_only=True)] == [["only"]]


def test_nothing_is_finished_after_an_error(tmp_path):
    path = tmp_path / "bad.xlsx"
    try:
        with XlsxBook(path) as book:
            with book.sheet("S") as sheet:
                sheet.append(["a"])
                raise RuntimeError("stop")
    except RuntimeError:
        pass
    assert not path.exists()


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    path = tmp_path / "f.xlsx"
    with XlsxBook(path) as book:
        with book.sheet("S") as sheet:
            sheet.append(['=HYPERLINK("http://x")', "+1", "0123"])
    ws = load_workbook(path).worksheets[0]
    assert [c.value for c in ws[1]] == ['=HYPERLINK("http://x")', "+1", "0123"]
    assert all(c.data_type == "s" for c in ws[1])
