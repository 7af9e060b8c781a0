"""`tegoed match --json` writes the same bytes for the same files, however it reads them.

The expected lines in files/expected-match/ were written by `tegoed match --open-items
files/fixture-items.csv --statement FILE --json` for the real sample files and this folder's
statement files; fixture-items.csv holds open items made from those files' credit entries (every
third one 10.00 off), so the lines cover matched, suggested, unmatched and ignored entries.
A change that alters a line is a change in what a user sees and must update the file with it.
"""

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tegoed.banking import match_cli, statement_matching
from tegoed.banking.errors import StatementFileError
from tegoed.domain import matching
from tegoed.domain.statement import Entry

FILES = Path(__file__).resolve().parent / "files"
FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
EXPECTED = FILES / "expected-match"
ITEMS = FILES / "fixture-items.csv"


def statement_files() -> list[Path]:
    found = []
    for expected in sorted(EXPECTED.glob("*.jsonl")):
        name = expected.name.removesuffix(".jsonl")
        candidates = [FIXTURES / "camt" / name, FIXTURES / "mt940" / name, FILES / name]
        found.append(next(path for path in candidates if path.exists()))
    return found


def matched_output(statement: Path) -> str:
    out = io.StringIO()
    match_cli.run(open_items=str(ITEMS), statement=str(statement), as_json=True, out=out)
    return out.getvalue()


def test_every_sample_file_has_expected_lines():
    names = {path.name for path in statement_files()}
    assert {"moiristo-camt.xml", "jejik-ing.sta", "asnb.940.txt", "ing.csv"} <= names


@pytest.mark.parametrize("statement", statement_files(), ids=lambda path: path.name)
def test_the_same_bytes_as_expected(statement):
    expected = (EXPECTED / f"{statement.name}.jsonl").read_text(encoding="utf-8")
    assert matched_output(statement) == expected


@pytest.mark.parametrize("statement", statement_files(), ids=lambda path: path.name)
def test_the_same_bytes_when_a_second_process_reads_the_statement(statement, monkeypatch):
    # Large files are read by a second process: force that path on the small samples.
    monkeypatch.setattr(statement_matching, "PARALLEL_FROM_BYTES", 0)
    expected = (EXPECTED / f"{statement.name}.jsonl").read_text(encoding="utf-8")
    assert matched_output(statement) == expected


@pytest.mark.parametrize("reader_reads", [True, False], ids=["read-ahead", "read-when-matched"])
def test_the_same_bytes_whichever_process_reads_the_texts(reader_reads, monkeypatch):
    # The reader reads the entries' texts only while the matching process is busy: force
    # either side (the reader is forked, so it sees the patched function).
    monkeypatch.setattr(statement_matching, "PARALLEL_FROM_BYTES", 0)
    packed = statement_matching._packed
    monkeypatch.setattr(
        statement_matching,
        "_packed",
        lambda statement, *, read: packed(statement, read=reader_reads),
    )
    for statement in statement_files():
        expected = (EXPECTED / f"{statement.name}.jsonl").read_text(encoding="utf-8")
        assert matched_output(statement) == expected, statement.name


def test_nothing_is_written_when_a_later_statement_is_bad(tmp_path, monkeypatch):
    monkeypatch.setattr(statement_matching, "PARALLEL_FROM_BYTES", 0)
    # A good statement first, so its entries are matched before the bad one is read.
    path = tmp_path / "two.sta"
    path.write_bytes(
        (FILES / "ing-structured.sta").read_bytes() + b"\r\n" + (FILES / "broken.sta").read_bytes()
    )
    out = io.StringIO()
    with pytest.raises(StatementFileError, match=r"two.sta \(line \d+\)"):
        match_cli.run(open_items=str(ITEMS), statement=str(path), as_json=True, out=out)
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    "outcome",
    [
        matching.Outcome(
            Entry('E"1\\ü', Decimal("-12.5"), False, date(2026, 3, 2)), matching.IGNORED
        ),
        matching.Outcome(
            Entry("E2", Decimal("121.00"), True, date(2026, 3, 2)),
            matching.SUGGESTED,
            (
                matching.Proposal(
                    (
                        matching.Allocation('F-1 "ü"\n', Decimal("100")),
                        matching.Allocation("F\t2", Decimal("21.004")),
                    ),
                    0.8549,
                    "Müller \u2028 paid\u0001 \\ twice",
                    "rule",
                ),
            ),
        ),
        matching.Outcome(
            Entry("E3", Decimal("5"), True, date(2026, 3, 2)),
            matching.MATCHED,
            (matching.Proposal((), 1, "", "rule"),),
        ),
        matching.Outcome(Entry("", Decimal("0"), True, date(2026, 3, 2)), matching.UNMATCHED),
        matching.Outcome(
            Entry("N1", Decimal("7"), True, date(2026, 3, 2), notified=True), matching.UNMATCHED
        ),
    ],
)
def test_a_line_is_the_json_of_the_outcome(outcome):
    expected = json.dumps(statement_matching.as_json(outcome), ensure_ascii=False)
    assert statement_matching.as_json_line(outcome) == expected
