"""`pantau matrix import` run for real: the JSON preview, all or nothing, exit 2 naming row and column."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.helpers import matrix_xlsx

pytestmark = pytest.mark.service

RULES = Path(__file__).parent.parent / "service" / "data" / "demo-rules.toml"
_SCRIPT = Path(sys.executable).with_name("pantau")
PANTAU = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-c", "from service.cli import main; main()"]


def pantau(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTAU_")}
    env |= {"PANTAU_DATABASE_URL": f"sqlite:///{db}", "PANTAU_RULES": str(RULES)}
    return subprocess.run([*PANTAU, *args], cwd=db.parent, env=env, capture_output=True, text=True, timeout=60)


def test_dry_run_prints_the_preview_as_json_and_stores_nothing(tmp_path):
    db = tmp_path / "p.db"
    done = pantau(db, "matrix", "import", str(DATA / "matriks-astim-2021-12-27.docx"), "--dry-run", "--format", "json")
    assert done.returncode == 0, done.stderr
    preview = json.loads(done.stdout)
    assert preview["as_of"] == "2021-12-27"
    assert len(preview["rows"]) == 32 and {r["action"] for r in preview["rows"]} == {"new"}
    first = preview["rows"][0]
    assert set(first) >= {"row", "stream", "action", "events", "warnings", "errors"}
    assert first["events"][0]["type"] == "PartnershipRegistered" and first["events"][0]["data"]["desk"] == "kbri-seoul"
    stored = pantau(db, "export")
    assert stored.stdout == ""


def test_import_stores_once_then_nothing(tmp_path):
    db = tmp_path / "p.db"
    first = pantau(db, "matrix", "import", str(DATA / "matriks-astim-2021-12-27.xlsx"))
    assert first.returncode == 0, first.stderr
    assert "188 peristiwa dicatat, 0 sudah ada" in first.stderr
    again = pantau(db, "matrix", "import", str(DATA / "matriks-astim-2021-12-27.docx"), "--format", "json")
    assert again.returncode == 0 and "0 peristiwa dicatat" in again.stderr
    assert {r["action"] for r in json.loads(again.stdout)["rows"]} == {"same"}


def test_bad_row_exits_2_naming_row_and_column_and_stores_nothing(tmp_path):
    header = ["NO", "PROVINSI", "MITRA", "DOKUMEN", "STATUS"]
    rows = [
        ["1", "Bali", "Jeju, Korea Selatan", "MoU, 2001", "AKTIF"],
        ["2", "Bali", "Gangwon, Korea Selatan", "LoI, 31 Februari 2010", ""],
    ]
    path = matrix_xlsx(tmp_path / "bad.xlsx", ["MATRIKS KERJA SAMA", "PER 1 MEI 2022"], header, rows)
    db = tmp_path / "p.db"
    done = pantau(db, "matrix", "import", str(path))
    assert done.returncode == 2
    assert "baris 6, kolom DOKUMEN: tanggal 31 Februari 2010 tidak ada" in done.stderr
    assert "tidak ada yang dicatat" in done.stderr
    assert pantau(db, "export").stdout == ""


def test_old_word_file_and_conflicting_options_exit_2(tmp_path):
    old = tmp_path / "matriks.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    done = pantau(tmp_path / "p.db", "matrix", "import", str(old))
    assert done.returncode == 2 and "format Office lama" in done.stderr
    both = pantau(tmp_path / "p.db", "matrix", "import", str(old), "--desk", "kbri-seoul", "--region", "Bali")
    assert both.returncode == 2 and "--desk" in both.stderr
