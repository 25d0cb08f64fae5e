"""Writing an XLSX workbook row by row, for exports of any size, through XlsxWriter.

XlsxWriter's constant-memory mode flushes each row as it is written, so a ten-year export
holds one row at a time. Strings are always written as text (never turned into formulas, links
or numbers: a name starting with "=" must not run in the referrer's spreadsheet), and
characters XML cannot hold are dropped.

    with XlsxBook(path) as book:
        with book.sheet("Attendance", widths=[12, 22]) as sheet:
            sheet.append(["id", "name"], header=True)
            for row in rows:
                sheet.append(row)

On an error inside the block the workbook is never finished and no file is written.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Sequence

# Characters XML 1.0 does not allow (control characters other than tab, newline, return).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class SheetWriter:
    def __init__(self, worksheet, header_format):
        self._ws = worksheet
        self._header = header_format
        self._row = 0

    def append(self, values: Sequence, header: bool = False) -> None:
        ws, r = self._ws, self._row
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                if _ILLEGAL.search(value):  # rare: search is cheaper than sub on every cell
                    value = _ILLEGAL.sub("", value)
                ws.write_string(r, c, value, self._header if header else None)
            elif isinstance(value, bool):
                ws.write_boolean(r, c, value, self._header if header else None)
            elif isinstance(value, (int, float)):
                ws.write_number(r, c, value, self._header if header else None)
            else:
                ws.write_string(r, c, _ILLEGAL.sub("", str(value)), self._header if header else None)
        self._row += 1

    def extend(self, rows: Iterable[Sequence]) -> None:
        for row in rows:
            self.append(row)


class XlsxBook:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._book = None
        self._count = 0

    def __enter__(self) -> "XlsxBook":
        import xlsxwriter

        self._book = xlsxwriter.Workbook(
            str(self.path),
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
             "strings_to_numbers": False},
        )
        self._bold = self._book.add_format({"bold": True})
        return self

    def __exit__(self, kind, value, tb) -> None:
        if kind is None:
            self._book.close()
        # On an error the workbook is dropped unwritten: XlsxWriter writes the file at close.

    @contextmanager
    def sheet(self, name: str, widths: Sequence[float] = (), freeze_header: bool = True, **_ignored) -> Iterator[SheetWriter]:
        self._count += 1
        name = _SHEET_NAME_FORBIDDEN.sub(" ", name)[:31] or f"Sheet{self._count}"
        ws = self._book.add_worksheet(name)
        for i, width in enumerate(widths):
            ws.set_column(i, i, width)
        if freeze_header:
            ws.freeze_panes(1, 0)
        yield SheetWriter(ws, self._bold)
