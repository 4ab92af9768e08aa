"""E038 on a coding sheet advised raising [limits] max_file_mb, which sheets do not read: a workbook sent back
that is too big now gets E415, which names the fixed limit and gives advice that works."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic import _limits
from thematic.errors import InputError


def _sheet(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "coding"
    ws.append(["segment_id", "document", "text", "funding"])
    for i in range(200):
        ws.append([f"int-01:{i}", "int-01", "We had no money at all, none. " * 5, "1"])
    wb.save(path)
    return path


@pytest.mark.parametrize("name", ["sheet.xlsx", "sheet.csv"])
def test_too_big_sheet_advice_does_not_name_a_setting_sheets_ignore(tmp_path: Path, name: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.coding._sheet_xlsx import read_workbook

    monkeypatch.setattr(_limits.check_workbook, "__defaults__", (_limits.SizeLimits(0.01, 0.02),))  # 10 KB
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_text("segment_id,text\n" + "int-01:1,words words words\n" * 1000, encoding="utf-8")
    else:
        _sheet(path)
    with pytest.raises(InputError) as err:
        read_workbook(path)
    msg = str(err.value)
    assert msg.startswith("[E415]") and name in msg
    assert "max_file_mb" not in msg and "thematic.toml" not in msg


def test_study_files_still_get_e038_with_the_setting(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 20_000, encoding="utf-8")
    with pytest.raises(InputError, match=r"^\[E038\].*max_file_mb"):
        _limits.check_file(path, str(path), _limits.SizeLimits(0.01, 0.02))
