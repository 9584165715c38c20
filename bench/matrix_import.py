"""A 2,000-row matrix previewed and imported, against the raw read of the same file, same run.

    .venv/bin/python bench/matrix_import.py [--rows 2000] [--store sqlite|URL]

Writes a Word and an Excel matrix of N rows (two tables, three development items and a contact
per row), then times each once:
- baseline: the library's own read of the file (python-docx or openpyxl: every cell's text);
- preview: `read_file` + `read_matrix` against an empty store (what `--dry-run` does);
- import: storing that preview through the bulk append, and folding the read models;
- again: the preview of the same file against the N stored partnerships (all "same").
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers import MATRIX_HEADER  # noqa: E402 - after the path above

PROVINCES = ["Jawa Barat", "Jawa Tengah", "Jawa Timur", "Bali", "Sulawesi Selatan", "Sumatera Utara", "Banten", "Riau"]
HEADER = MATRIX_HEADER
STATUSES = ["AKTIF", "KURANG AKTIF", "TIDAK AKTIF", "PENJAJAKAN"]


def rows(n: int) -> list[list[str]]:
    out = []
    for i in range(n):
        out.append(
            [
                f"{i + 1}.",
                PROVINCES[i % len(PROVINCES)],
                f"Mitra{i}-si, Korea Selatan",
                f"LoI, {1 + i % 28} Mei {2000 + i % 20}\nMoU, {2001 + i % 20}",
                STATUSES[i % 4],
                f"• Kunjungan delegasi {i} pada 12 Mei 2019\n• Pertukaran pelajar {i}\n• Rencana pameran {i}",
                "Pendidikan, Pariwisata, Kebudayaan",
                f"Ibu Orang{i} (+62 812 {1000 + i % 9000} 2353)",
            ]
        )
    return out


def write_docx(path: Path, data: list[list[str]]) -> None:
    import docx

    document = docx.Document()
    half = len(data) // 2
    for title, part in (("SISTER PROVINCE", data[:half]), ("SISTER CITY", data[half:])):
        document.add_paragraph(f"MATRIKS KERJA SAMA {title} INDONESIA DENGAN MITRA NEGARA KOREA SELATAN")
        document.add_paragraph("PER 27 DESEMBER 2021")
        table = document.add_table(rows=1 + len(part), cols=len(HEADER))
        cells = table._cells  # one pass over the grid: cell(r, c) recomputes it every call
        width = len(HEADER)
        for c, heading in enumerate(HEADER):
            cells[c].text = heading
        for r, row in enumerate(part, start=1):
            for c, value in enumerate(row):
                lines = value.split("\n")
                cell = cells[r * width + c]
                cell.text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
    document.save(path)


def write_xlsx(path: Path, data: list[list[str]]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["MATRIKS KERJA SAMA SISTER PROVINCE INDONESIA DENGAN MITRA NEGARA KOREA SELATAN"])
    sheet.append(["PER 27 DESEMBER 2021"])
    sheet.append(HEADER)
    for row in data:
        sheet.append(row)
    book.save(path)


def raw_read(path: Path) -> int:
    """The baseline: every cell's text, as the library gives it."""
    if path.suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        return sum(len(cell.text) for table in document.tables for row in table.rows for cell in row.cells)
    import openpyxl

    book = openpyxl.load_workbook(path)
    return sum(len(str(v)) for row in book.active.iter_rows(values_only=True) for v in row if v is not None)


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run_one(path: Path, url: str, rows: int) -> None:
    """Time the baseline, the preview, the import and the second preview of one file."""
    from events.database import create_engine
    from projections.readmodel import read
    from projections.rules import Desk, Rules
    from service.bootstrap import bootstrap, migrate
    from service.matrix_in.preview import read_matrix, recorded_texts, store_preview
    from service.matrix_in.reader import read_file
    from service.settings import Settings

    rules = Rules(desks=(Desk("kbri-seoul", countries=("KR",)),))
    today = date(2026, 11, 23)
    engine = create_engine(url)
    migrate(engine)
    pantau = bootstrap(
        Settings(database_url=url),
        engine=engine,
        migrate_schema=False,
        clock=lambda: datetime(2026, 11, 23, tzinfo=timezone.utc),
    )
    base, _ = timed(lambda: raw_read(path))
    prev_s, preview = timed(lambda: read_matrix(read_file(path, 1 << 30), rules, today, read(engine).states))
    assert not preview.errors, preview.errors[:3]
    store_s, _ = timed(lambda: (store_preview(pantau.store, preview, today), pantau.runner.run()))
    texts = recorded_texts(pantau.store)
    again_s, again = timed(
        lambda: read_matrix(read_file(path, 1 << 30), rules, today, read(engine).states, texts=texts)
    )
    assert not again.events(), "a second read of the same matrix should change nothing"
    size = path.stat().st_size / 1e6
    print(
        f"{path.suffix[1:]:5} {rows} rows, {size:.1f} MB, {len(preview.events())} events: "
        f"baseline raw read {base:.2f} s | preview {prev_s:.2f} s | import {store_s:.2f} s | "
        f"preview again (all same) {again_s:.2f} s"
    )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--store", default="sqlite", help="sqlite (a temporary file) or an empty database's URL")
    args = parser.parse_args()
    data = rows(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        for suffix, write in ((".docx", write_docx), (".xlsx", write_xlsx)):
            path = Path(tmp) / f"matriks{suffix}"
            write(path, data)
            url = f"sqlite:///{tmp}/bench{suffix[1:]}.db" if args.store == "sqlite" else args.store
            run_one(path, url, args.rows)


if __name__ == "__main__":
    main()
