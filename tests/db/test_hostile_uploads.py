"""Hostile evidence files, sent through the appeal journey as a customer would (issue 14
item 7; SECURITY.md row 27, ASVS 5.2.2, 5.2.3, 5.4.3).

Each hostile file is either refused (400, nothing stored) or kept only as a harmless new
file: a JPEG with GPS data or a PHP script behind it is re-encoded, so what the director
downloads is the picture alone. Files and bytes are counted per draft, not per request.
"""

import functools
import io
import threading
import zipfile

import pikepdf
import pytest
import sqlalchemy as sa
from PIL import Image

from portal import uploads
from portal.challenges import services
from portal.extensions import db
from portal.models import Appeal, Attachment, ChallengeDraft, User
from portal.models.vocab import Role
from tests.factories import make_user
from tests.figures import tally
from tests.helpers import (
    csrf_token,
    error_summary,
    main_text,
    parse,
    sign_in,
    sign_out,
    text_of,
    texts,
    url,
)
from tests.letter_fixtures import make_notice_world
from tests.upload_samples import (
    EICAR,
    GPS_IFD,
    docx_bytes,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
)
from tests.virus_signatures import clamscan_installed

PHP = b"<?php system($_GET['c']); ?>"


def pdf_html_polyglot() -> bytes:
    """A real PDF whose first comment line is an HTML page with a script."""
    header, rest = pdf_bytes().split(b"\n", 1)
    page = b"%<html><body><script>alert(document.domain)</script></body></html>"
    return header + b"\n" + page + b"\n" + rest


@functools.cache
def docx_zip_bomb() -> bytes:
    """A Word file whose document part is 200 MB of zeros: about 200 KB packed."""
    buffer = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/padding.xml", "w", force_zip64=True) as part:
            zeros = b"\0" * (1024 * 1024)
            for _ in range(200):
                part.write(zeros)
    return buffer.getvalue()


def eicar_pdf() -> bytes:
    def add(pdf):
        pdf.Root.Notes = pdf.make_stream(EICAR)

    return pdf_bytes(add)


def javascript_pdf() -> bytes:
    def add(pdf):
        action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        pdf.Root.OpenAction = pdf.make_indirect(action)

    return pdf_bytes(add)


def nested_zip_docx() -> bytes:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("payload.exe", b"MZ\x90\x00program")
    return docx_bytes({"word/embeddings/package.bin": inner.getvalue()})


@functools.cache
def png_pixel_bomb() -> bytes:
    """A small PNG that decodes to 20,000 × 20,000 pixels (400 megapixels)."""
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, format="PNG")
    return out.getvalue()


# (what it is, bytes, name the browser sends): each must be refused.
REFUSED = [
    ("PDF that is also an HTML page", pdf_html_polyglot, "letter.pdf"),
    ("DOCX that unpacks to 200 MB", docx_zip_bomb, "report.docx"),
    ("PDF with JavaScript run on opening", javascript_pdf, "notice.pdf"),
    ("DOCX with a ZIP holding a program inside", nested_zip_docx, "statement.docx"),
    ("PNG of 400 megapixels", png_pixel_bomb, "photo.png"),
    ("JPEG cut short", lambda: jpeg_bytes()[:200], "photo.jpg"),
    ("HTML renamed to .pdf", lambda: b"<html><script>alert(1)</script></html>", "a.pdf"),
]


@pytest.fixture
def journey(app, client):
    """A customer on the evidence step of an appeal about their restriction."""
    _case, restriction, _officer, customer = make_notice_world()
    sign_in(client, customer.user.email)
    start = url(
        "challenges.start", kind="appeal", target_type="restriction", target_id=restriction.id
    )
    reasons_url = client.post(start, data={"csrf_token": csrf_token(client, start)}).headers[
        "Location"
    ]
    answered = client.post(
        reasons_url,
        data={
            "csrf_token": csrf_token(client, reasons_url),
            "reasons": "The calls were about a repair.",
            "submit": "Save",
        },
    )
    evidence_url = answered.headers["Location"]
    draft_id = db.session.scalar(sa.select(ChallengeDraft.id))
    assert evidence_url == url("challenges.step", draft_id=draft_id, step="evidence")
    return client, evidence_url


def upload(client, evidence_url, *files):
    """Post ``(bytes, name)`` pairs to the evidence step in one request."""
    return client.post(
        evidence_url,
        data={
            "csrf_token": csrf_token(client, evidence_url),
            "files": [(io.BytesIO(data), name) for data, name in files],
            "submit": "Save",
        },
        content_type="multipart/form-data",
    )


def stored_files() -> list[Attachment]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Attachment).order_by(Attachment.id)))


def anywhere_on(response) -> str:
    """The parsed page's text and every attribute value."""
    page = parse(response)
    return " ".join([text_of(page), *(v for e in page.iter() for v in e.attrib.values())])


def send_and_download_as_director(client, evidence_url) -> list[bytes]:
    """Send the appeal, then download its evidence as the appeals director would: each
    file's bytes and Content-Disposition, and the decision page linking to them."""
    draft_id = db.session.scalar(sa.select(ChallengeDraft.id))
    check_url = url("challenges.step", draft_id=draft_id, step="check")
    client.post(
        url("challenges.send", draft_id=draft_id),
        data={"csrf_token": csrf_token(client, check_url)},
    )
    sign_out(client)
    appeal = db.session.scalar(sa.select(Appeal))
    director = make_user(Role.APPEALS_DIRECTOR)
    sign_in(client, director.email)
    page = client.get(url("challenges.decide_appeal", challenge_id=appeal.id))
    downloads = []
    for attachment in stored_files():
        link = url("challenges.evidence", attachment_id=attachment.id)
        assert parse(page).cssselect(f'a[href="{link}"]'), link
        response = client.get(link)
        assert response.status_code == 200
        downloads.append((response.data, response.headers["Content-Disposition"], page))
        response.close()
    return downloads


@pytest.mark.parametrize(("what", "make", "name"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_hostile_file_is_refused_and_nothing_is_kept(journey, what, make, name):
    client, evidence_url = journey
    response = upload(client, evidence_url, (make(), name))
    assert response.status_code == 400, what
    assert error_summary(response), what
    assert stored_files() == []


@pytest.mark.skipif(
    not clamscan_installed(),
    reason="ClamAV's clamscan is not installed (Debian package clamav, from make "
    "system-deps): without it uploads are not virus scanned, so EICAR cannot be refused",
)
def test_the_eicar_test_virus_inside_a_pdf_is_refused_by_clamav(journey, app):
    assert app.config["CLAMAV_DATABASE"]  # the test run's EICAR-only signature database
    client, evidence_url = journey
    response = upload(client, evidence_url, (eicar_pdf(), "scan.pdf"))
    assert response.status_code == 400
    assert [m for m in error_summary(response) if "contains a virus" in m]
    assert stored_files() == []


def test_the_eicar_pdf_passes_the_format_checks_so_only_the_scanner_stops_it(app):
    """Without ClamAV this file would be kept: the README says so plainly."""
    assert uploads.parsed("application/pdf", eicar_pdf()).startswith(b"%PDF-")


def test_a_jpeg_with_php_behind_it_is_kept_as_the_picture_alone(journey):
    client, evidence_url = journey
    sent = jpeg_bytes() + PHP
    assert upload(client, evidence_url, (sent, "photo.jpg")).status_code == 303
    [attachment] = stored_files()
    kept = uploads.content_of(attachment)
    assert PHP not in kept and kept != sent
    assert Image.open(io.BytesIO(kept)).size == Image.open(io.BytesIO(sent)).size
    [(served, _disposition, _page)] = send_and_download_as_director(client, evidence_url)
    assert served == kept and b"<?php" not in served


def test_a_photo_is_served_back_without_its_location(journey):
    client, evidence_url = journey
    sent = jpeg_bytes(gps=True)
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(GPS_IFD)  # the phone's location
    assert upload(client, evidence_url, (sent, "front door.jpg")).status_code == 303
    [(served, _disposition, _page)] = send_and_download_as_director(client, evidence_url)
    picture = Image.open(io.BytesIO(served))
    assert picture.format == "JPEG" and picture.size == (64, 48)
    assert not picture.getexif() and not picture.getexif().get_ifd(GPS_IFD)
    assert b"taken at home" not in served and b"PhoneMaker" not in served


def test_a_file_name_with_a_direction_override_is_shown_as_it_really_is(journey):
    """``invoice\\u202egnp.exe`` displays as ``invoiceexe.png``: the override is removed and
    the name ends in the type the file really is."""
    client, evidence_url = journey
    assert upload(client, evidence_url, (png_bytes(), "invoice\u202egnp.exe")).status_code == 303
    [attachment] = stored_files()
    assert attachment.original_filename == "invoicegnp.png"
    [(_served, disposition, page)] = send_and_download_as_director(client, evidence_url)
    link = url("challenges.evidence", attachment_id=attachment.id)
    assert "\u202e" not in anywhere_on(page)
    assert [t for t in texts(page, f'a[href="{link}"]') if "invoicegnp.png" in t]
    assert "invoicegnp.png" in disposition and "exe" not in disposition


def test_good_files_of_every_type_are_kept(journey):
    client, evidence_url = journey
    files = [
        (pdf_bytes(), "repair note.pdf"),
        (jpeg_bytes(), "door.jpeg"),
        (png_bytes(), "screenshot.png"),
        (docx_bytes(), "statement.docx"),
    ]
    assert upload(client, evidence_url, *files).status_code == 303
    kept = stored_files()
    assert [a.original_filename for a in kept] == [name for _data, name in files]
    assert [a.media_type for a in kept] == [
        "application/pdf",
        "image/jpeg",
        "image/png",
        uploads.DOCX,
    ]
    # PDFs and Word files are kept byte for byte; pictures are re-encoded.
    assert uploads.content_of(kept[0]) == files[0][0]
    assert uploads.content_of(kept[3]) == files[3][0]


def test_twenty_one_files_in_five_requests_leave_five_with_the_draft(journey):
    """The limit of five is the draft's, not the request's: the sixth file is refused."""
    client, evidence_url = journey
    statuses = []
    for batch in ([1, 2, 3], [4, 5], [6], [7, 8, 9, 10, 11], list(range(12, 22))):
        files = [(pdf_bytes(), f"page {n}.pdf") for n in batch]
        statuses.append(upload(client, evidence_url, *files).status_code)
    assert statuses == [303, 303, 400, 400, 400]
    assert len(stored_files()) == 5
    refused = upload(client, evidence_url, (pdf_bytes(), "one more.pdf"))
    assert [m for m in error_summary(refused) if "You have already added 5 files" in m]


def test_the_bytes_per_draft_are_capped_across_requests(journey, app):
    app.config["MAX_UPLOAD_BYTES_PER_DRAFT"] = 2 * len(pdf_bytes()) + 10
    client, evidence_url = journey
    assert upload(client, evidence_url, (pdf_bytes(), "one.pdf")).status_code == 303
    assert upload(client, evidence_url, (pdf_bytes(), "two.pdf")).status_code == 303
    third = upload(client, evidence_url, (pdf_bytes(), "three.pdf"))
    assert third.status_code == 400
    assert [m for m in error_summary(third) if "smaller than 1 MB in all" in m]
    assert len(stored_files()) == 2


def test_two_uploads_at_once_cannot_both_take_the_last_place(journey, app):
    """The count is taken with the draft row locked, in the transaction that stores."""
    client, evidence_url = journey
    four = [(pdf_bytes(), f"{n}.pdf") for n in range(4)]
    assert upload(client, evidence_url, *four).status_code == 303
    draft_id = db.session.scalar(sa.select(ChallengeDraft.id))
    checked = uploads.CheckedFile("last.pdf", "application/pdf", pdf_bytes())
    db.session.commit()
    barrier = threading.Barrier(2)
    outcomes = []

    def add_one():
        with app.app_context():
            draft = db.session.get(ChallengeDraft, draft_id)
            author = db.session.get(User, draft.author_id)
            db.session.commit()
            barrier.wait(timeout=30)
            try:
                services.add_evidence(draft, [checked], author=author)
                outcomes.append("kept")
            except uploads.TooManyFiles:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=add_one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["kept", "refused"]
    db.session.expire_all()
    draft = db.session.get(ChallengeDraft, draft_id)
    assert len(draft.data["attachment_ids"]) == 5 == len(stored_files())


def test_hostile_uploads_accepted_as_sent(journey):
    """The figure for the report: of every hostile file in this module, how many were kept
    with their hostile part intact (SECURITY.md figure 13: 0 accepted)."""
    client, evidence_url = journey
    corpus = [(make(), name) for _what, make, name in REFUSED]
    corpus += [(jpeg_bytes() + PHP, "photo.jpg"), (jpeg_bytes(gps=True), "gps.jpg")]
    if clamscan_installed():
        corpus.append((eicar_pdf(), "scan.pdf"))
    kept_as_sent = 0
    for data, name in corpus:
        upload(client, evidence_url, (data, name))
        for attachment in stored_files():
            kept = uploads.content_of(attachment)
            kept_as_sent += kept == data
            db.session.delete(attachment)
            uploads.discard([attachment.storage_key])
        draft = db.session.scalar(sa.select(ChallengeDraft))
        draft.data = {**draft.data, "attachment_ids": []}
        db.session.commit()
    print(f"hostile uploads accepted: {kept_as_sent} of {len(corpus)}")
    assert kept_as_sent == 0
    tally("13 uploads", "hostile files tried", len(corpus))
    tally("13 uploads", "accepted as sent", kept_as_sent)


NOT_SCANNED = "These files have not been checked for viruses"


def test_the_director_is_told_when_evidence_was_not_virus_scanned(journey, app):
    client, evidence_url = journey
    app.config["VIRUS_SCAN"] = "off"  # as on a server without ClamAV
    assert upload(client, evidence_url, (pdf_bytes(), "note.pdf")).status_code == 303
    [(_served, _disposition, page)] = send_and_download_as_director(client, evidence_url)
    assert NOT_SCANNED in main_text(page)
    app.config.update(VIRUS_SCAN="auto", CLAMD_SOCKET="/run/clamav/clamd.ctl")  # a scanner
    appeal_id = db.session.scalar(sa.select(Appeal.id))
    decide = client.get(url("challenges.decide_appeal", challenge_id=appeal_id))
    assert NOT_SCANNED not in anywhere_on(decide)
