"""CSVLogger: the file parses as CSV and holds History's values; append adds rows without a header."""

import csv

import pytest

from npkeras.callbacks import CSVLogger


def test_rows_equal_the_history(small_fit, tmp_path):
    path = tmp_path / "log.csv"
    _, history, _ = small_fit([CSVLogger(path)], epochs=3)
    rows = list(csv.DictReader(path.open()))
    assert [int(r["epoch"]) for r in rows] == [0, 1, 2]
    assert set(rows[0]) == {"epoch", *history.history}
    for key, values in history.history.items():
        assert [float(r[key]) for r in rows] == pytest.approx(values, rel=1e-12)


def test_append_and_separator(small_fit, tmp_path):
    path = tmp_path / "log.csv"
    small_fit([CSVLogger(path, separator=";")], epochs=2)
    small_fit([CSVLogger(path, separator=";", append=True)], epochs=2)
    lines = path.read_text().splitlines()
    assert len(lines) == 5 and lines[0].startswith("epoch;") and lines[3].startswith("0;")
