"""A large XLSX export's rows, read in a second process while this one writes the workbook.

On the ten-year workspace XlsxWriter spends about 12 s on the 2.2 million cells, and reading
the sessions and judging each man's compliance takes 2 s more. With two cores the reading
runs beside the writing. The child opens the same workspace as the same person, reads only,
and sends rows in batches through a pipe; an error there comes back here as the same kind of
error with the same words, and then nothing is written. Small exports stay in one process:
starting Python again costs more than it saves.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
from typing import Callable, Iterator

from facilitator import errors
from facilitator.services.office import Office

BATCH = 2_000  # rows per message: big enough that pickling is cheap per row, small in memory
# Below this many enrolments the export takes a second or two and a second process would not pay.
ENROLMENTS_WORTH_A_PROCESS = 2_000


def worth_a_second_process(enrolments: int) -> bool:
    return enrolments >= ENROLMENTS_WORTH_A_PROCESS and (os.cpu_count() or 1) >= 2


class RowFeed:
    """The child's rows, then its summary rows, in order; close() always reaps the child."""

    def __init__(self, office: Office, wanted, pseudonymise: bool):
        ctx = multiprocessing.get_context("spawn")  # never fork: the UI runs threads
        self._conn, child_end = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(
            target=_read_in_child, name="facilitator-export-reader", daemon=True,
            args=(child_end, str(office.path), office.user, wanted, pseudonymise),
        )
        self._proc.start()
        child_end.close()  # so a dead child shows here as the end of the pipe
        self.rows_read = 0
        self.men = 0

    def _messages(self) -> Iterator[tuple]:
        while True:
            try:
                message = self._conn.recv()
            except EOFError:
                self._proc.join(5)
                raise errors.FacilitatorError(
                    f"the export's reading process stopped unexpectedly (exit code {self._proc.exitcode}); "
                    f"nothing was written") from None
            if message[0] == "error":
                raise _same_error(message[1], message[2], message[3])
            yield message

    def rows(self, on_group: Callable[[str], None] | None = None) -> Iterator[tuple]:
        for message in self._messages():
            if message[0] == "rows":
                yield from message[1]
            elif message[0] == "group":
                if on_group:
                    on_group(message[1])
            elif message[0] == "rows_end":
                self.rows_read = message[1]
                return

    def summaries(self) -> Iterator[list]:
        for message in self._messages():
            if message[0] == "summary":
                yield from message[1]
            elif message[0] == "done":
                self.men = message[1]
                return

    def close(self) -> None:
        self._conn.close()
        self._proc.join(2)
        if self._proc.is_alive():  # the writer gave up (an error, a full disk): stop reading
            self._proc.terminate()
            self._proc.join(2)


def _read_in_child(conn, workspace: str, user: str, wanted, pseudonymise: bool) -> None:
    # The child must never write to the terminal the UI is drawing on.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        from facilitator.services import exports

        office = Office.open(workspace, user)
        plan = exports.plan_export(office, wanted)
        result = exports.ExportResult()
        masker = exports.Masker(office) if pseudonymise else None
        rows, summaries = exports.xlsx_rows(office, plan, masker, result,
                                            on_group=lambda g: conn.send(("group", g.id)))
        _send_batches(conn, "rows", rows)
        conn.send(("rows_end", result.rows))
        _send_batches(conn, "summary", summaries())
        conn.send(("done", result.men))
    except errors.FacilitatorError as err:
        conn.send(("error", type(err).__module__, type(err).__qualname__, err.message))
    except BaseException as err:  # say what happened rather than die silently
        conn.send(("error", "facilitator.errors", "FacilitatorError", f"the export could not be read: {err!r}"))
    finally:
        conn.close()


def _same_error(module: str, name: str, message: str) -> errors.FacilitatorError:
    """The child's error as this process's: same class (so the same exit code), same words."""
    kind = errors.FacilitatorError
    if module.startswith("facilitator."):
        found = getattr(importlib.import_module(module), name, None)
        if isinstance(found, type) and issubclass(found, errors.FacilitatorError):
            kind = found
    err = kind.__new__(kind)
    errors.FacilitatorError.__init__(err, message)  # subclasses may build their message from parts
    return err


def _send_batches(conn, kind: str, items) -> None:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH:
            conn.send((kind, batch))
            batch = []
    if batch:
        conn.send((kind, batch))
