"""The repository holds every document its code cites, and cites them by their docs/ path."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    p
    for pattern in (
        "events/**/*.py",
        "projections/**/*.py",
        "notifications/**/*.py",
        "service/**/*.py",
        "service/**/*.html",
        "notifications/**/*.html",
        "bench/*.py",
        "tests/*.py",
        "docs/*.md",
    )
    for p in ROOT.glob(pattern)
] + [ROOT / "README.md", ROOT / "Makefile", ROOT / "pyproject.toml"]
CITED = re.compile(r"(?<![/\w])docs/[\w./-]*\w")  # not the /docs/… URL paths of the API docs
BARE = re.compile(r"(?<![/\w])(events|alerts|interfaces|architecture|lifecycle|design|style)\.md\b")


def test_every_docs_path_the_code_cites_exists():
    missing = {
        f"{path.relative_to(ROOT)}: {cited}"
        for path in SOURCES
        for cited in CITED.findall(path.read_text(encoding="utf-8"))
        if not (ROOT / cited).exists()
    }
    assert sorted(missing) == []


def test_code_cites_documents_by_their_docs_path():
    bare = {
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for path in SOURCES
        if path.suffix == ".py"
        for m in BARE.finditer(path.read_text(encoding="utf-8"))
    }
    assert sorted(bare) == []


def test_the_catalogue_document_names_every_event_type():
    from events.catalogue import TYPES

    text = (ROOT / "docs/events.md").read_text(encoding="utf-8")
    assert [name for name in TYPES if f"### {name}" not in text] == []


def test_the_readme_is_a_newcomers_map_with_every_setting_in_one_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = "\n".join(
        path.read_text(encoding="utf-8")
        for path in SOURCES
        if path.suffix == ".py"
        and path.relative_to(ROOT).parts[0] in ("events", "projections", "notifications", "service")
    )
    settings = set(re.findall(r"\bPANTAU_[A-Z_]*[A-Z]\b", code))  # what the product reads; tests and bench aside
    table = set(re.findall(r"^\| `(PANTAU_[A-Z_]+)` \|", readme, re.MULTILINE))
    assert sorted(settings - table) == []
    assert len(readme.splitlines()) < 250  # the figures live in docs/benchmarks.md, the details in docs/
