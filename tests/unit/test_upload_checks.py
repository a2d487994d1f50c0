"""Each file type's parser, the name cleaner and the ClamAV scanner, one rule at a time
(portal/uploads/: images, pdf, office, names, virus_scan; SECURITY.md rows 27 and 30)."""

import io
import socket
import struct
import threading

import pikepdf
import pytest
from PIL import Image, PngImagePlugin

from portal.config import ConfigurationError, load_config
from portal.uploads import images, names, office, pdf, refusals, virus_scan
from tests.upload_samples import EICAR, docx_bytes, jpeg_bytes, pdf_bytes, picture, png_bytes
from tests.virus_signatures import clamscan_installed, eicar_database

# --- names -----------------------------------------------------------------------------


@pytest.mark.parametrize("control", list(names.BIDI_CONTROLS))
def test_every_direction_control_is_removed_from_a_name(control):
    assert names.display_name(f"invoice{control}fdp.exe") == "invoicefdp.exe"


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("line\nbreak\r.pdf", "linebreak.pdf"),
        ("tab\there\x85.pdf", "tabhere.pdf"),  # C1 control (next line)
        ("..\\..\\windows\\evil.pdf", "evil.pdf"),
        ("/etc/passwd", "passwd"),
        ("  spaced . ", "spaced"),
        ("...", "file"),
        ("\u202e", "file"),
        ("نامه\u200cها.pdf", "نامه\u200cها.pdf"),  # a zero-width non-joiner is spelling
        ("e\u0301te\u0301.pdf", "\u00e9t\u00e9.pdf"),  # one form of each accented letter
    ],
)
def test_names_lose_controls_and_folders_but_keep_their_letters(given, shown):
    assert names.display_name(given) == shown


def test_a_long_name_is_cut_and_keeps_its_extension():
    shown = names.display_name("a" * 500 + ".pdf")
    assert len(shown) == names.MAX_NAME_LENGTH and shown.endswith("a.pdf")


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("scan.exe", "scan.pdf"),
        ("scan", "scan.pdf"),
        ("scan.PDF", "scan.PDF"),
        ("invoice\u202efdp.exe", "invoicefdp.pdf"),
        ("", "file.pdf"),
    ],
)
def test_the_shown_name_ends_in_the_real_type(given, shown):
    assert names.name_for_type(given, ".pdf") == shown


def test_an_alias_of_the_real_extension_is_kept():
    assert names.name_for_type("door.jpeg", ".jpg", (".jpeg",)) == "door.jpeg"


# --- pictures ----------------------------------------------------------------------------


def test_a_jpeg_is_turned_upright_by_its_orientation_tag_which_is_not_kept():
    kept = images.reencoded("image/jpeg", jpeg_bytes(orientation=6))  # rotated 90° on camera
    upright = Image.open(io.BytesIO(kept))
    assert upright.size == (48, 64) and not upright.getexif()


def test_a_png_loses_its_text_chunks_and_keeps_its_transparency():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "home address: 14 Clift Road")
    source = picture().convert("RGBA")
    source.putpixel((1, 1), (0, 0, 0, 0))
    out = io.BytesIO()
    source.save(out, format="PNG", pnginfo=info)
    kept = images.reencoded("image/png", out.getvalue())
    assert b"Clift Road" not in kept
    reopened = Image.open(io.BytesIO(kept))
    assert reopened.mode == "RGBA" and reopened.getpixel((1, 1))[3] == 0
    assert reopened.text == {}


def test_pictures_in_other_modes_are_kept():
    palette = picture().convert("P")
    assert Image.open(io.BytesIO(images.reencoded("image/png", png_bytes(palette)))).mode == "P"
    cmyk = io.BytesIO()
    picture().convert("CMYK").save(cmyk, format="JPEG")
    assert Image.open(io.BytesIO(images.reencoded("image/jpeg", cmyk.getvalue()))).size == (64, 48)


def test_a_picture_that_does_not_decode_is_refused():
    broken = png_bytes()[:60] + b"\0" * 40
    with pytest.raises(refusals.DamagedFile):
        images.reencoded("image/png", broken)


# --- PDF ---------------------------------------------------------------------------------


def _with(change):
    return pdf_bytes(change)


def _embedded_file(document):
    document.attachments["payload.exe"] = pikepdf.AttachedFileSpec(document, b"MZ program")


def _launch_link(document):
    action = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
    annotation = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10], A=action
    )
    document.pages[0].Annots = document.make_indirect(pikepdf.Array([annotation]))


def _page_action(document):
    script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    document.pages[0].AA = pikepdf.Dictionary(O=script)


def _xfa_form(document):
    document.Root.AcroForm = pikepdf.Dictionary(Fields=[], XFA=document.make_stream(b"<xdp/>"))


def _open_a_website(document):
    document.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.URI, URI=pikepdf.String("https://tracker.example/")
    )


def _script_off_the_usual_path(document):
    script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    document.Root.PieceInfo = document.make_indirect(script)


@pytest.mark.parametrize(
    "change",
    [
        _embedded_file,
        _launch_link,
        _page_action,
        _xfa_form,
        _open_a_website,
        _script_off_the_usual_path,
    ],
)
def test_a_pdf_that_could_do_more_than_show_pages_is_refused(change):
    with pytest.raises(refusals.ActiveContent):
        pdf.check(_with(change))


def _web_link(document):
    action = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/"))
    annotation = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10], A=action
    )
    document.pages[0].Annots = document.make_indirect(pikepdf.Array([annotation]))


def _open_at_first_page(document):
    document.Root.OpenAction = pikepdf.Array([document.pages[0].obj, pikepdf.Name.Fit])


def _open_with_goto(document):
    document.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.GoTo, D=pikepdf.Array([document.pages[0].obj, pikepdf.Name.Fit])
    )


@pytest.mark.parametrize("change", [None, _web_link, _open_at_first_page, _open_with_goto])
def test_ordinary_pdfs_with_links_and_a_first_page_are_kept(change):
    pdf.check(_with(change))


def test_a_script_no_page_refers_to_is_found_too():
    """An object outside the document's tree: qpdf still reads it, so a reader might."""
    data = pdf_bytes()
    at = data.index(b"xref")
    hidden = b"9 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n"
    with pytest.raises(refusals.ActiveContent):
        pdf.check(data[:at] + hidden + data[at:])


def test_a_pdf_that_needs_a_password_is_refused():
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf_bytes())) as document:
        document.save(out, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    with pytest.raises(refusals.PasswordProtected):
        pdf.check(out.getvalue())


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%%EOF\n",
        b"%PDF-1.7\n" + b"\x00" * 100,
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
    ],
)
def test_a_pdf_the_parser_cannot_read_is_refused(data):
    with pytest.raises(refusals.DamagedFile):
        pdf.check(data)


@pytest.mark.parametrize(
    "markup", [b"<!DOCTYPE html>", b"<SCRIPT>", b"<?php echo 1; ?>", b"<svg onload=x>"]
)
def test_a_pdf_that_is_also_markup_is_refused(markup):
    with pytest.raises(refusals.ActiveContent):
        pdf.check(pdf_bytes() + b"%" + markup + b"\n")


# --- DOCX --------------------------------------------------------------------------------


def test_an_ordinary_word_file_with_a_picture_is_kept():
    office.check(docx_bytes({"word/media/image1.png": png_bytes()}))


def test_a_word_file_packed_more_than_the_ratio_is_refused():
    bomb = docx_bytes({"word/padding.xml": b" " * (4 * 1024 * 1024)})  # ~4 KB packed
    with pytest.raises(refusals.UnpacksTooLarge):
        office.check(bomb)


def test_a_word_file_with_too_many_parts_is_refused():
    many = docx_bytes({f"word/part{n}.xml": "<x/>" for n in range(office.MAX_PARTS)})
    with pytest.raises(refusals.UnpacksTooLarge):
        office.check(many)


@pytest.mark.parametrize(
    "part",
    [
        {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64},
        {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": docx_bytes()},
        {"word/media/image2.png": b"MZ\x90\x00 a program with a picture's name"},
    ],
)
def test_a_word_file_carrying_archives_or_programs_is_refused(part):
    with pytest.raises(refusals.ActiveContent):
        office.check(docx_bytes(part))


def test_a_word_file_whose_part_lies_about_its_size_is_refused():
    data = bytearray(docx_bytes({"word/styles.xml": b"<w:styles/>" * 50}))
    central = data.rfind(b"word/styles.xml") - 46  # that part's central directory entry
    struct.pack_into("<I", data, central + 24, 10)  # claims 10 bytes unpacked
    with pytest.raises(refusals.DamagedFile):
        office.check(bytes(data))


# --- ClamAV ------------------------------------------------------------------------------


def test_without_clamav_files_are_not_scanned_unless_the_settings_require_it(app, monkeypatch):
    monkeypatch.setattr(virus_scan.shutil, "which", lambda _name: None)
    assert virus_scan.scanner() is None
    virus_scan.scan(EICAR)  # "auto": the format checks are all there is
    app.config["VIRUS_SCAN"] = "required"
    with pytest.raises(refusals.VirusScanFailed):
        virus_scan.scan(b"anything")


def test_virus_scanning_can_be_turned_off(app):
    app.config["VIRUS_SCAN"] = "off"
    assert virus_scan.scanner() is None


def test_clamscan_without_a_signature_database_is_treated_as_absent(app, tmp_path, monkeypatch):
    monkeypatch.setattr(virus_scan.shutil, "which", lambda _name: "/usr/bin/clamscan")
    app.config["CLAMAV_DATABASE"] = ""
    monkeypatch.setattr(virus_scan, "DEFAULT_DATABASE", tmp_path)  # empty, as before freshclam
    assert virus_scan.scanner() is None
    (tmp_path / "main.cvd").write_bytes(b"signatures")
    assert isinstance(virus_scan.scanner(), virus_scan.Clamscan)


@pytest.mark.skipif(not clamscan_installed(), reason="ClamAV's clamscan is not installed")
def test_clamscan_finds_eicar_and_passes_a_clean_file():
    scanner = virus_scan.Clamscan("clamscan", eicar_database(), timeout=60)
    assert scanner.scan(b"prefix " + EICAR + b" suffix") == "Eicar-Test-Signature.UNOFFICIAL"
    assert scanner.scan(pdf_bytes()) is None


@pytest.mark.skipif(not clamscan_installed(), reason="ClamAV's clamscan is not installed")
def test_clamscan_that_fails_refuses_the_file(tmp_path):
    missing = virus_scan.Clamscan("clamscan", str(tmp_path / "no-such-database"), timeout=60)
    with pytest.raises(refusals.VirusScanFailed):
        missing.scan(pdf_bytes())


def test_a_scanner_that_does_not_answer_in_time_refuses_the_file(tmp_path):
    slow = tmp_path / "slow-scanner"
    slow.write_text("#!/bin/sh\nsleep 5\n")
    slow.chmod(0o700)
    with pytest.raises(refusals.VirusScanFailed):
        virus_scan.Clamscan(str(slow), None, timeout=0.2).scan(b"data")


class FakeClamd:
    """A Unix socket that speaks clamd's INSTREAM protocol and answers FOUND for EICAR."""

    def __init__(self, path, *, hang_up=False):
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(1)
        self.hang_up = hang_up
        self.received = b""
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        connection, _ = self.server.accept()
        with connection:
            stream = connection.makefile("rb")
            assert stream.read(10) == b"zINSTREAM\0"
            while size := struct.unpack("!L", stream.read(4))[0]:
                self.received += stream.read(size)
            if self.hang_up:
                return
            verdict = b"Eicar-Signature FOUND" if EICAR in self.received else b"OK"
            connection.sendall(b"stream: " + verdict + b"\0")

    def close(self):
        self.thread.join(timeout=5)
        self.server.close()


@pytest.mark.parametrize(("data", "found"), [(b"x" * 200_000, None), (EICAR, "Eicar-Signature")])
def test_clamd_is_sent_the_whole_file_in_chunks_and_its_verdict_is_read(tmp_path, data, found):
    clamd = FakeClamd(tmp_path / "clamd.sock")
    assert virus_scan.Clamd(str(tmp_path / "clamd.sock"), timeout=5).scan(data) == found
    clamd.close()
    assert clamd.received == data


def test_clamd_that_hangs_up_or_is_not_there_refuses_the_file(tmp_path):
    clamd = FakeClamd(tmp_path / "clamd.sock", hang_up=True)
    with pytest.raises(refusals.VirusScanFailed):
        virus_scan.Clamd(str(tmp_path / "clamd.sock"), timeout=5).scan(b"data")
    clamd.close()
    with pytest.raises(refusals.VirusScanFailed):
        virus_scan.Clamd(str(tmp_path / "absent.sock"), timeout=1).scan(b"data")


def test_the_clamd_socket_setting_wins_over_clamscan(app):
    app.config["CLAMD_SOCKET"] = "/run/clamav/clamd.ctl"
    assert isinstance(virus_scan.scanner(), virus_scan.Clamd)


def test_an_unknown_virus_scan_mode_stops_the_portal_starting():
    with pytest.raises(ConfigurationError):
        load_config({"PORTAL_ENV": "testing", "VIRUS_SCAN": "sometimes"})
