"""A large XLSX export's rows, read in a second process while this one writes the workbook.

On the ten-year workspace XlsxWriter spends about 12 s on the 2.2 million cells, and reading
the sessions and judging each man's compliance takes 2 s more. With two cores the reading
runs beside the writing. The child opens the same workspace as the same person, reads only,
and sends rows in batches through a pipe; an error there comes back here as the same kind of
error with the same words, and then nothing is written. Small exports stay in one process:
starting Python again costs more than it saves.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path

from facilitator import errors
from facilitator.services.core import identity
from facilitator.services.core.office import Office
from facilitator.services.reporting import exports

BATCH = 2_000  # rows per message: big enough that pickling is cheap per row, small in memory
# Below this many enrolments the export takes a second or two and a second process would not pay.
ENROLMENTS_WORTH_A_PROCESS = 2_000


def worth_a_second_process(enrolments: int) -> bool:
    return enrolments >= ENROLMENTS_WORTH_A_PROCESS and _cores() >= 2


def _cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than the machine
    has)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


class RowFeed:
    """The child's rows, then its summary rows, in order; close() always reaps the child.

    A plain subprocess with its output as a pipe of pickled batches, not multiprocessing: the
    UI replaces sys.stderr with an object without a file, which multiprocessing's helper process
    needs, and the child must never write on the terminal the UI is drawing."""

    def __init__(self, office: Office, wanted, pseudonymise: bool):
        package_root = str(Path(__file__).resolve().parents[3])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        order_fields = {
            "workspace": str(office.path),
            "user": office.user,
            "filter": asdict(wanted),
            "pseudonymise": pseudonymise,
        }
        # The child cannot sign in (it has no passphrase): the signed-in member vouches for
        # this one read with their key, and the child checks it before reading anything.
        order = json.dumps(
            order_fields | {"vouched": identity.vouch_for_reader(office, order_fields)}
        )
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "facilitator.services.reporting.export_feed", order],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert self._proc.stdout is not None  # stdout=PIPE gives a pipe
        self._stdout = self._proc.stdout
        self.rows_read = 0
        self.men = 0

    def _messages(self) -> Iterator[tuple]:
        while True:
            try:
                message = pickle.load(self._stdout)
            except (EOFError, pickle.UnpicklingError):
                code = self._proc.wait()
                raise errors.FacilitatorError(
                    f"the export's reading process stopped unexpectedly (exit code {code}); "
                    f"nothing was written"
                ) from None
            if message[0] == "error":
                raise _same_error(*message[1:])
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
        self._stdout.close()
        try:
            self._proc.wait(5)
        except (
            subprocess.TimeoutExpired
        ):  # the writer gave up (an error, a full disk): stop reading
            self._proc.kill()
            self._proc.wait()


def read_in_child(order: dict, out) -> None:
    """The child's work: every row of the export, then every summary row, as pickled batches."""

    def send(message) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)

    try:
        office = Office.open(order["workspace"], order["user"])
        vouched = order.pop("vouched", None)
        identity.accept_reader(office, order, vouched)
        plan = exports.plan_export(office, exports.ExportFilter(**order["filter"]))
        result = exports.ExportResult()
        masker = exports.Masker(office) if order["pseudonymise"] else None
        rows, summaries = exports.xlsx_rows(
            office, plan, masker, result, on_group=lambda g: send(("group", g.id))
        )
        _send_batches(send, "rows", rows)
        send(("rows_end", result.rows))
        _send_batches(send, "summary", summaries())
        send(("done", result.men))
    except errors.FacilitatorError as err:
        send(("error", type(err).__module__, type(err).__qualname__, err.message, err.command))
    except Exception as err:  # say what happened rather than die silently
        send(
            (
                "error",
                "facilitator.errors",
                "FacilitatorError",
                f"the export could not be read: {err!r}",
                "",
            )
        )
    out.flush()


def _kinds(cls: type[errors.FacilitatorError]) -> Iterator[type[errors.FacilitatorError]]:
    """Every error class this process has loaded: the child's is among them, as both run the
    same exporter."""
    for sub in cls.__subclasses__():
        yield sub
        yield from _kinds(sub)


def _same_error(module: str, name: str, message: str, command: str = "") -> errors.FacilitatorError:
    """The child's error as this process's: same class (so the same exit code), same words."""
    kind = next(
        (
            c
            for c in _kinds(errors.FacilitatorError)
            if (c.__module__, c.__name__) == (module, name)
        ),
        errors.FacilitatorError,
    )
    err = kind.__new__(kind)
    # Subclasses may build their message from parts: set it as the child had it.
    errors.FacilitatorError.__init__(err, message, command=command)
    return err


def _send_batches(send, kind: str, items) -> None:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH:
            send((kind, batch))
            batch = []
    if batch:
        send((kind, batch))


if __name__ == "__main__":
    try:
        read_in_child(json.loads(sys.argv[1]), sys.stdout.buffer)
    except BrokenPipeError:  # the writer stopped early; it has its own error to show
        sys.exit(1)
