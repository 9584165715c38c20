"""The drafts, plan and report pages: the pipeline per desk, the forms that record them, the preview."""

from __future__ import annotations

import io

from docx import Document

from tests.helpers import activity
from tests.lifecycle_events import draft, planned, step
from tests.test_pages import csrf_of, login

S = "kota-bandung-seoul"


def _post(site, path: str, **fields):
    form = site.client.get(path).text
    return site.client.post(path, data={"csrf": csrf_of(form), **fields}, follow_redirects=False)


def test_the_pipeline_page_groups_by_the_step_waited_for_longest_wait_first_returned_marked(site):
    site.pantau.store.append(
        [
            draft("2026-01-10", "mou-a", title="MoU pendidikan"),
            step("2026-02-01", "kajian", draft_id="mou-a"),
            draft("2026-03-01", "moa-b", "MoA"),
            step("2026-04-01", "kajian", draft_id="moa-b"),
            step("2026-05-01", "dprd", "returned", draft_id="moa-b", note="revisi"),
            draft("2026-10-01", "loi-c", "LoI"),
        ]
    )
    login(site, "seoul")
    page = site.client.get("/pipeline").text
    dprd = page.index('data-waiting-for="dprd"')
    kajian = page.index('data-waiting-for="kajian"')
    assert kajian < dprd  # in the order of the approval path
    waiting_for_dprd = page[dprd:]
    assert waiting_for_dprd.index('data-draft="mou-a"') < waiting_for_dprd.index('data-draft="moa-b"')
    assert 'class="draft returned' in page and "Dikembalikan" in page
    assert "revisi" in page and "Kajian manfaat" in page  # each draft with its history
    assert "Tertahan" in page  # mou-a has waited 295 days for the DPRD
    assert site.client.get("/pipeline?desk=kbri-tokyo").text.count('data-draft="') == 0
    english = site.client.get("/pipeline?lang=en").text
    assert "Waiting for" in english and "Regional parliament (DPRD) approval" in english


def test_open_a_draft_record_steps_withdraw_and_sign_through_the_forms(site):
    login(site, "jabar")
    opened = _post(
        site,
        f"/partnerships/{S}/drafts/new",
        form_id="d1",
        occurred_on="2026-01-05",
        draft_id="mou-2026",
        document="MoU",
        initiated_by="indonesia",
        title="MoU kota cerdas",
    )
    assert opened.status_code == 303
    assert (
        _post(
            site,
            f"/partnerships/{S}/drafts/mou-2026/step",
            form_id="d2",
            occurred_on="2026-02-01",
            step="kajian",
            outcome="approved",
            reference="050/12",
        ).status_code
        == 303
    )
    signed = _post(
        site,
        f"/partnerships/{S}/drafts/mou-2026/sign",
        form_id="d3",
        occurred_on="2026-11-01",
        agreement_id="mou-2026",
        term_years="5",
    )
    assert signed.status_code == 303
    stream = site.pantau.store.stream(S)
    assert [e.type for e in stream[-3:]] == ["DraftOpened", "ApprovalRecorded", "AgreementSigned"]
    assert stream[-1].data == {"draft_id": "mou-2026", "document": "MoU", "agreement_id": "mou-2026", "term_years": 5}
    # A step on the signed draft is refused beside its field, naming it, and nothing is stored.
    refused = _post(
        site,
        f"/partnerships/{S}/drafts/mou-2026/step",
        form_id="d4",
        occurred_on="2026-11-02",
        step="mendagri",
        outcome="approved",
    )
    assert refused.status_code == 422
    assert 'role="alert"' in refused.text and "Kode rancangan: “mou-2026” sudah ditutup" in refused.text
    page = site.client.get(f"/partnerships/{S}").text
    assert "ditandatangani" in page and "mou-2026" in page
    _post(
        site,
        f"/partnerships/{S}/drafts/new",
        form_id="d5",
        occurred_on="2026-03-01",
        draft_id="loi-x",
        document="LoI",
        initiated_by="partner",
    )
    assert (
        _post(
            site,
            f"/partnerships/{S}/drafts/loi-x/withdraw",
            form_id="d6",
            occurred_on="2026-04-01",
            reason="mitra mundur",
        ).status_code
        == 303
    )
    assert site.pantau.store.stream(S)[-1].type == "DraftWithdrawn"


def test_a_form_names_each_bad_field_and_stores_nothing(site):
    login(site)
    before = len(site.pantau.store.stream(S))
    bad = _post(
        site,
        f"/partnerships/{S}/plan/new",
        form_id="p0",
        occurred_on="2026-01-05",
        plan_id="",
        year="next",
        kind="exchange",
        budget="-5",
        currency="RPX",
    )
    assert bad.status_code == 422
    for name in ("year", "budget"):
        assert f'id="err-{name}"' in bad.text
    assert 'id="err-plan_id"' not in bad.text  # left empty, it is made: nothing to refuse
    assert "Tahun rencana: harus bilangan bulat" in bad.text  # the message names its field
    assert len(site.pantau.store.stream(S)) == before


def test_plan_an_item_realise_it_from_the_activity_form_and_drop_another(site):
    login(site)
    assert (
        _post(
            site,
            f"/partnerships/{S}/plan/new",
            form_id="p1",
            occurred_on="2026-01-05",
            plan_id="2026-youth",
            year="2026",
            kind="exchange",
            title="Pertukaran pemuda",
            budget="150.000.000",
            currency="IDR",
            source="APBD",
        ).status_code
        == 303
    )
    assert site.pantau.store.stream(S)[-1].data["budget"] == {
        "amount": 150000000.0,
        "currency": "IDR",
        "source": "APBD",
    }
    _post(
        site,
        f"/partnerships/{S}/plan/new",
        form_id="p2",
        occurred_on="2026-01-05",
        plan_id="2026-expo",
        year="2026",
        kind="festival",
    )
    form = site.client.get(f"/partnerships/{S}/activity").text
    assert 'value="2026-youth"' in form and "Pertukaran pemuda" in form  # the year's open items to pick from
    logged = site.client.post(
        f"/partnerships/{S}/activity",
        data={
            "csrf": csrf_of(form),
            "form_id": "a1",
            "occurred_on": "2026-08-14",
            "kind": "exchange",
            "title": "Pertukaran pemuda Bandung–Seoul",
            "plan_id": "2026-youth",
            "results": "20 pemuda",
        },
        follow_redirects=False,
    )
    assert logged.status_code == 303
    assert 'value="2026-youth"' not in site.client.get(f"/partnerships/{S}/activity").text  # realised now
    assert (
        _post(
            site, f"/partnerships/{S}/plan/2026-expo/drop", form_id="p3", occurred_on="2026-06-01", reason="anggaran"
        ).status_code
        == 303
    )
    page = site.client.get(f"/partnerships/{S}").text
    plan = page[page.index('data-year="2026"') :]
    assert "Terlaksana" in plan and "Dibatalkan" in plan
    assert "100%" in page  # one realised of one left planned


def test_the_partnership_page_offers_each_years_report_with_a_preview_and_a_scorecard(site):
    site.pantau.store.append(
        [
            planned("2025-12-01", "2026-youth", 2026),
            activity("2026-08-14", "exchange", "a1", plan_id="2026-youth", beneficiary_count=20),
        ]
    )
    login(site, "viewer")
    page = site.client.get(f"/partnerships/{S}").text
    assert f'href="/partnerships/{S}/report/2026"' in page and f'href="/partnerships/{S}/report/2020"' in page
    assert 'data-indicator="beneficiaries"' in page and "Penerima manfaat" in page
    preview = site.client.get(f"/partnerships/{S}/report/2026").text
    for heading in ("1. Judul", "2. Latar Belakang", "6. Penerima Manfaat", "9. Analisis Rencana Tindak Lanjut"):
        assert f"<h2>{heading}</h2>" in preview
    download = site.client.get(f"/partnerships/{S}/report/2026.docx")
    assert download.status_code == 200
    headings = [p.text for p in Document(io.BytesIO(download.content)).paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == 9


def test_a_viewer_sees_no_lifecycle_buttons_and_a_lifecycle_form_opened_anyway_is_refused(site):
    site.pantau.store.append(
        [
            draft("2026-01-10", "mou-a"),
            step("2026-02-01", "kajian", draft_id="mou-a"),
            planned("2026-01-05", "p1", 2026),
        ]
    )
    writes = (
        f"/partnerships/{S}/drafts/new",
        f"/partnerships/{S}/drafts/mou-a/step",
        f"/partnerships/{S}/drafts/mou-a/sign",
        f"/partnerships/{S}/drafts/mou-a/withdraw",
        f"/partnerships/{S}/plan/new",
        f"/partnerships/{S}/plan/p1/drop",
    )
    login(site)
    page, pipeline = site.client.get(f"/partnerships/{S}").text, site.client.get("/pipeline").text
    assert all(f'href="{address}"' in page for address in writes)  # an administrator gets them all
    assert f'href="/partnerships/{S}/drafts/mou-a/step"' in pipeline
    for who, said in (("viewer", "hanya dapat membaca"), ("tokyo", "tidak berwenang")):  # a viewer, another desk
        site.client.cookies.clear()
        login(site, who)
        page, pipeline = site.client.get(f"/partnerships/{S}").text, site.client.get("/pipeline?desk=kbri-seoul").text
        assert 'data-draft="mou-a"' in page and 'data-draft="mou-a"' in pipeline  # they still read it all
        assert [address for address in writes if f'href="{address}"' in page + pipeline] == []
        for address in writes:
            refused = site.client.get(address)
            assert refused.status_code == 403 and said in refused.text
        posted = site.client.post(
            f"/partnerships/{S}/plan/new", data={"csrf": csrf_of(page), "plan_id": "p2", "year": "2026"}
        )
        assert posted.status_code == 403
    assert [e.data.get("plan_id") for e in site.pantau.store.stream(S)].count("p2") == 0


def test_a_draft_opened_in_a_month_waits_since_that_month_not_its_first_day(site):
    site.pantau.store.append(
        [draft("2026-01", "mou-month"), draft("2025", "loi-year", "LoI"), activity("2026-03", "visit", "a-march")]
    )
    login(site)
    pipeline, page = site.client.get("/pipeline").text, site.client.get(f"/partnerships/{S}").text
    assert ">Jan 2026</td>" in pipeline and ">2025</td>" in pipeline
    assert "Sejak Jan 2026" in page and "Sejak 2025" in page
    assert "visit (Mar 2026)" in page and "1 Mar 2026" not in page  # the scorecard names its source, as written
    assert ">a-march<" not in page and "Kegiatan a-march" not in page  # never by its id
    assert "1 Jan 2026" not in pipeline + page and "1 Jan 2025" not in pipeline + page


def test_a_draft_its_signing_and_a_plan_item_left_without_codes_get_codes_made_for_them(site):
    login(site, "jabar")
    opened = _post(
        site,
        f"/partnerships/{S}/drafts/new",
        form_id="n1",
        occurred_on="5/1/2026",
        document="MoA",
        initiated_by="partner",
    )
    assert opened.status_code == 303
    [draft_opened] = [e for e in site.pantau.store.stream(S) if e.type == "DraftOpened"]
    assert draft_opened.data["draft_id"] == "draft-moa-2026"
    signed = _post(site, f"/partnerships/{S}/drafts/draft-moa-2026/sign", form_id="n2", occurred_on="2026-11-01")
    assert signed.status_code == 303
    assert site.pantau.store.stream(S)[-1].data["agreement_id"] == "moa-2026"
    for expected, form_id in (("2027-exchange", "n3"), ("2027-exchange-2", "n4")):
        planned = _post(
            site, f"/partnerships/{S}/plan/new", form_id=form_id, occurred_on="2026-11-02", year="2027", kind="exchange"
        )
        assert planned.status_code == 303
        assert site.pantau.store.stream(S)[-1].data["plan_id"] == expected
    page = site.client.get(f"/partnerships/{S}/drafts/new").text
    assert 'placeholder="boleh dikosongkan: dibuat otomatis"' in page
