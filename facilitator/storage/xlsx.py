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
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xlsxwriter import Workbook

# Characters XML 1.0 does not allow (control characters other than tab, newline, return).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def clean_text(value: str) -> str:
    """Text without the characters XML 1.0 cannot hold (a stray control character in a name)."""
    return _ILLEGAL.sub("", value) if _ILLEGAL.search(value) else value


class SheetWriter:
    def __init__(self, worksheet, header_format):
        self._ws = worksheet
        self._header = header_format
        self._row = 0
        # XlsxWriter's undecorated writers: the public ones first check, on every cell, whether
        # the row was given in A1 notation, a tenth of a large export's time. Both are plain
        # methods in XlsxWriter 3.x; if a later version drops them, the public ones still work.
        self._put_text = getattr(worksheet, "_write_string", worksheet.write_string)
        self._put_number = getattr(worksheet, "_write_number", worksheet.write_number)

    def append(self, values: Sequence, header: bool = False) -> None:
        """One row of any values; text is cleaned of characters XML cannot hold."""
        ws, r, fmt = self._ws, self._row, (self._header if header else None)
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                self._put_text(r, c, clean_text(value), fmt)
            elif isinstance(value, bool):
                ws.write_boolean(r, c, value, fmt)
            elif isinstance(value, (int, float)):
                self._put_number(r, c, value, fmt)
            else:
                self._put_text(r, c, clean_text(str(value)), fmt)
        self._row += 1

    def extend(self, rows: Iterable[Sequence]) -> None:
        for row in rows:
            self.append(row)

    def extend_plain(self, rows: Iterable[Sequence]) -> None:
        """Many rows of text and whole numbers whose text the caller has already cleaned
        (clean_text, once per distinct value): the fast path for a ten-year export.
        Even unclean text stays valid: XlsxWriter escapes control characters itself."""
        put_text, put_number = self._put_text, self._put_number
        r = self._row
        for row in rows:
            c = 0
            for value in row:
                if type(value) is str:
                    if value:
                        put_text(r, c, value, None)
                elif type(value) is int:
                    put_number(r, c, value, None)
                elif value is not None:
                    raise TypeError(
                        f"extend_plain takes text and whole numbers, not {type(value).__name__}"
                    )
                c += 1
            r += 1
        self._row = r


class XlsxBook:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._book: Workbook | None = None
        self._count = 0

    def __enter__(self) -> XlsxBook:
        import xlsxwriter

        self._book = xlsxwriter.Workbook(
            str(self.path),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self._bold = self._book.add_format({"bold": True})
        return self

    def _open_book(self) -> Workbook:
        if self._book is None:
            raise RuntimeError("XlsxBook is used outside its with-block")
        return self._book

    def __exit__(self, kind, value, tb) -> None:
        if kind is None:
            self._open_book().close()
        # On an error the workbook is dropped unwritten: XlsxWriter writes the file at close.

    @contextmanager
    def sheet(
        self, name: str, widths: Sequence[float] = (), freeze_header: bool = True, **_ignored
    ) -> Iterator[SheetWriter]:
        self._count += 1
        name = _SHEET_NAME_FORBIDDEN.sub(" ", name)[:31] or f"Sheet{self._count}"
        ws = self._open_book().add_worksheet(name)
        for i, width in enumerate(widths):
            ws.set_column(i, i, width)
        if freeze_header:
            ws.freeze_panes(1, 0)
        yield SheetWriter(ws, self._bold)
