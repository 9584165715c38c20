"""The /import page and the matrix page's Word download: preview, confirm, scope, refusals, round trip."""

from __future__ import annotations

import json
import re

import pytest

from projections.rules import Rules
from service.matrix_in.preview import read_matrix
from service.matrix_in.reader import read_bytes
from tests.api_fixtures import build
from tests.conftest import DATA, SAMPLE

pytestmark = pytest.mark.service

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
DOCX = DATA / "matriks-astim-2021-12-27.docx"


@pytest.fixture
def site(database, engine, clock):
    api = build(database, engine, clock)
    with api.client:
        yield api


def log_in(site, who: str) -> str:
    page = site.client.get("/login")
    token = CSRF.search(page.text).group(1)
    site.client.post("/login", data={"token": site.tokens[who], "csrf": token, "next": "/matrix"})
    return CSRF.search(site.client.get("/import").text).group(1)


def upload(site, csrf: str, path, **fields):
    files = {"file": (path.name, path.read_bytes(), "application/octet-stream")}
    return site.client.post("/import", data={"csrf": csrf, **fields}, files=files)


def test_admin_previews_the_sample_then_confirms_it_all(site):
    csrf = log_in(site, "admin")
    head = site.pantau.store.head()
    preview = upload(site, csrf, DOCX)
    assert preview.status_code == 200
    # Bandung – Seoul is already registered (with its MoU of 2020): that row changes, the rest are new.
    assert preview.text.count('<tr class="new') == 31 and preview.text.count('<tr class="changed') == 1
    assert "Dokumen ditandatangani: LoI, 14 September 2009" in preview.text
    assert site.pantau.store.head() == head  # a preview stores nothing
    token = re.search(r'name="token" value="([^"]+)"', preview.text).group(1)
    count = int(re.search(r"Catat (\d+) peristiwa", preview.text).group(1))
    confirm = {"csrf": csrf, "token": token, "desk": "", "region": "", "as_of": ""}
    done = site.client.post("/import/confirm", data=confirm)
    assert done.status_code == 200 and f"{count} peristiwa dicatat" in done.text
    assert site.pantau.store.head() == head + count
    assert site.client.post("/import/confirm", data=confirm).status_code == 422  # the upload is spent
    again = upload(site, csrf, DATA / "matriks-astim-2021-12-27.xlsx")
    assert again.text.count('<tr class="same') == 32 and "Sama, tidak dicatat" in again.text


def test_viewer_may_not_import(site):
    csrf = log_in(site, "viewer")
    page = site.client.get("/import")
    assert page.status_code == 403 and "hanya dapat membaca" in page.text
    assert upload(site, csrf, DOCX).status_code == 403


def test_regional_user_imports_only_their_province_rows(site):
    csrf = log_in(site, "jabar")
    preview = upload(site, csrf, DOCX)
    assert preview.status_code == 422
    assert "berada di luar wilayah Anda" in preview.text
    assert 'name="token"' not in preview.text  # nothing to confirm


def test_old_word_file_is_refused_on_the_page_in_indonesian(site, tmp_path):
    csrf = log_in(site, "admin")
    old = tmp_path / "matriks.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    page = upload(site, csrf, old)
    assert page.status_code == 422 and "format Office lama" in page.text


def test_word_download_of_the_matrix_reimports_to_the_same_record(database, engine, clock):
    api = build(database, engine, clock, sample=True)
    with api.client:
        log_in(api, "admin")
        page = api.client.get("/matrix", params={"desk": "kbri-seoul"})
        assert "/matrix.docx?desk=kbri-seoul" in page.text
        word = api.client.get("/matrix.docx", params={"desk": "kbri-seoul", "as_of": "2021-12-27"})
    assert word.status_code == 200 and word.headers["content-type"].startswith("application/vnd.openxmlformats")
    again = read_matrix(read_bytes(word.content, "m.docx", 10**7), Rules(), api.pantau.today(), desk="kbri-seoul")
    assert not again.errors

    def record(events):
        found: dict[str, dict] = {}
        for e in events:
            s = found.setdefault(e["stream"], {"docs": set(), "status": None, "contacts": set()})
            if e["type"] == "PartnershipRegistered":
                s["fields"], s["partner"] = e["data"]["fields"], e["data"]["partner"]["name"]
            elif e["type"] == "AgreementSigned":
                s["docs"].add((e["data"]["document"], e["occurred_on"]))
            elif e["type"] == "StatusAssessed":
                s["status"] = e["data"]["status"]
            elif e["type"] == "ContactAssigned":
                s["contacts"].add((e["data"]["name"], e["data"].get("phone"), e["data"].get("email")))
        return found

    sample = record(json.loads(line) for line in SAMPLE.read_text().splitlines())
    exported = record(again.events())
    assert len(exported) == 30  # the desk's own: Tokyo's and Pyongyang's partners are other desks'
    assert exported == {stream: sample[stream] for stream in exported}
