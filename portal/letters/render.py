"""Every format of a letter, rendered from its frozen document (never from the case, which
may have changed since). Renders are cached in the database by the frozen content's hash,
locale and format, so a repeat download on any app server reads the bytes instead of
running WeasyPrint again.
"""

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from flask import render_template, send_file
from sqlalchemy import delete, literal, select
from sqlalchemy.exc import IntegrityError

from portal.bidi import isolate, without_marks
from portal.extensions import db
from portal.letters import audio, braille
from portal.models.files import LetterRender
from portal.models.vocab import LetterFormat
from portal.pdf_ua import pdf_from_html, pdf_from_pages

RENDER_VERSION = "3"  # bump when templates or CSS change, to retire cached files
STATIC = Path(__file__).resolve().parent.parent.parent / "static"
LETTER_CSS = Path(__file__).resolve().parent / "letter.css"


@dataclass(frozen=True)
class Format:
    slug: str  # as it appears in URLs and file names
    letter_format: LetterFormat
    media_type: str
    extension: str
    # Seconds to make (WeasyPrint, a voice): made by a job worker, never in a web request
    # (issue 18 item 4), so twenty first downloads do not stall everyone else's pages.
    slow: bool = False


FORMATS = {
    f.slug: f
    for f in (
        Format("html", LetterFormat.HTML, "text/html; charset=utf-8", "html"),
        Format("pdf", LetterFormat.PDF, "application/pdf", "pdf", slow=True),
        Format("large-print", LetterFormat.LARGE_PRINT, "application/pdf", "pdf", slow=True),
        Format("easy-read", LetterFormat.EASY_READ, "application/pdf", "pdf", slow=True),
        Format("text", LetterFormat.PLAIN_TEXT, "text/plain; charset=utf-8", "txt"),
        Format("audio", LetterFormat.AUDIO, "audio/mpeg", "mp3", slow=True),
        # BRF is Braille ASCII: plain text to a computer, cells to an embosser.
        Format("braille", LetterFormat.BRAILLE, "text/plain; charset=us-ascii", "brf"),
    )
}
SLUG_FOR = {f.letter_format: f.slug for f in FORMATS.values()}


@cache
def pictogram(name: str) -> str:
    """A pictogram as a data: URI, so a downloaded HTML file is complete on its own."""
    data = (STATIC / "pictograms" / f"{name}.svg").read_bytes()
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode()


@cache
def letter_css() -> str:
    return LETTER_CSS.read_text(encoding="utf-8")


def available(fmt: Format, locale: str) -> bool:
    """Whether this format can be made in this language: audio needs a voice, braille a
    braille table; every other format exists in every language."""
    if fmt.slug == "audio":
        return audio.voice_for(locale) is not None
    if fmt.slug == "braille":
        return braille.table_for(locale) is not None
    return True


def variant_suffix(fmt: Format) -> str:
    """ "-large-print" or "-easy-read" in a file's name; "" where the extension says it."""
    return "" if fmt.slug in ("html", "pdf", "text", "audio", "braille") else f"-{fmt.slug}"


def file_name(letter, locale: str, fmt: Format) -> str:
    kind = letter.kind.value.replace("_", "-")
    return f"{letter.reference}-{kind}-{locale}{variant_suffix(fmt)}.{fmt.extension}"


def file_response(data: bytes, fmt: Format, download_name: str, key: str):
    """A rendered file as a download (letters and the policy alike)."""
    response = send_file(
        BytesIO(data),
        mimetype=fmt.media_type.split(";")[0],
        # Always a file to keep: the HTML version is self-contained (its own styles), and
        # served inline it would fall under the portal's strict CSP.
        as_attachment=True,
        download_name=download_name,
        max_age=0,
        # The same document, language, format and layout: the same bytes (a repeat asks
        # with If-None-Match and gets 304, without the file).
        etag=key,
    )
    # The format's own charset, once (Werkzeug would add utf-8 to any text/* type, a
    # second time for HTML and wrongly for braille's us-ascii).
    response.headers["Content-Type"] = fmt.media_type
    return response


def document_html(document: dict, reference: str, variant: str) -> str:
    """The letter as a complete, self-contained HTML page (also WeasyPrint's input)."""
    template = "letters/easy_read.html" if variant == "easy-read" else "letters/document.html"
    return render_template(
        template,
        doc=document,
        reference=reference,
        variant=variant,
        css=letter_css(),
        pictogram=pictogram,
    )


def _paragraph(paragraph, document: dict) -> str:
    if isinstance(paragraph, dict):  # staff's own words, introduced as such
        return f"{document['labels']['staff_words']} {paragraph['text']}"
    return paragraph


def document_text(document: dict) -> str:
    """Plain text for screen readers and text-to-speech: the same words, in reading order."""
    lines = [document["landlord"], document["date"], ""]
    lines += document["recipient"] + [""]
    right_to_left = document.get("dir") == "rtl"
    lines += [
        f"{label}: {isolate(value, right_to_left)}" for label, value in document["references"]
    ] + [""]
    lines += [document["title"], "", document["greeting"], ""]
    for sec in document["sections"]:
        if sec["heading"]:
            lines += [sec["heading"], ""]
        for paragraph in sec["paragraphs"]:
            lines += [_paragraph(paragraph, document), ""]
        for item in sec["items"]:
            lines.append(f"- {item}")
        if sec["items"]:
            lines.append("")
    lines += document["sign_off"]
    return "\n".join(lines) + "\n"


def render(document: dict, reference: str, fmt: Format, locale: str) -> bytes:
    if fmt.slug == "text":
        return document_text(document).encode("utf-8")
    if fmt.slug == "audio":
        return audio.render_mp3(
            without_marks(document_text(document)),
            locale,
            title=f"{document['title']} – {reference}",
            artist=document["landlord"],
        )
    if fmt.slug == "braille":
        return braille.render_brf(without_marks(document_text(document)), locale)
    html = document_html(document, reference, fmt.slug)
    if fmt.slug == "html":
        return html.encode("utf-8")
    return pdf_from_html(html)


def cache_key(content_sha256: str, locale: str, fmt: Format) -> str:
    return hashlib.sha256(
        f"{content_sha256}|{locale}|{fmt.slug}|{RENDER_VERSION}".encode()
    ).hexdigest()


@dataclass(frozen=True)
class LetterSource:
    """What rendering one language of a letter needs, read out of its database row, so the
    slow part can run with no transaction open (portal.database.release_before_slow_work)."""

    content_sha256: str
    reference: str
    locale: str
    document: dict

    @classmethod
    def of(cls, letter, locale: str) -> "LetterSource":
        return cls(
            letter.content_sha256, letter.reference, locale, letter.content["documents"][locale]
        )

    def key(self, fmt: Format) -> str:
        return cache_key(self.content_sha256, self.locale, fmt)


def cached(key: str) -> bytes | None:
    """The rendered file if it is in the cache (issue 18 item 5: in the database, so every
    app server shares it), else None. The read stays in the caller's transaction: ending
    it here expired what the request had loaded (the letter, the signed-in user), loaded
    again to record the reading. Work that may be slow releases it first."""
    return db.session.scalar(select(LetterRender.data).where(LetterRender.key == key))


def is_cached(key: str) -> bool:
    """Whether the file is in the cache, without reading it."""
    return db.session.scalar(select(literal(True)).where(LetterRender.key == key)) is not None


def cached_render(source: LetterSource, fmt: Format) -> bytes:
    """The rendered file, from the cache when it is there; rendered and kept when not.

    The render runs with no transaction open (the caller released it). Two renders of one
    file may race; the first to save wins and the second's identical bytes are dropped,
    so nobody ever reads half a file.
    """
    key = source.key(fmt)
    data = cached(key)
    db.session.commit()  # no transaction open while WeasyPrint or the voice runs
    if data is not None:
        return data
    data = render(source.document, source.reference, fmt, source.locale)
    try:
        db.session.add(LetterRender(key=key, content_sha256=source.content_sha256, data=data))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # rendered by someone else meanwhile: the same bytes
    return data


def forget_renders(content_hashes) -> None:
    """Remove the cached renders of these letters' contents (retention), in the caller's
    transaction."""
    db.session.execute(delete(LetterRender).where(LetterRender.content_sha256.in_(content_hashes)))


def paper_variant(letter) -> str:
    """How a paper copy is printed: large print if the customer chose it, otherwise
    ordinary print (a paper copy is never a web page or a sound file)."""
    if letter.customer.preferred_letter_format == LetterFormat.LARGE_PRINT:
        return "large-print"
    return "pdf"


def paper_label(letter) -> str:
    """What the post queue calls the paper copy (issue 15 item 12: not "Web page")."""
    from flask_babel import gettext as _

    return _("large print") if paper_variant(letter) == "large-print" else _("standard print")


def print_batch_pages(letters) -> list[str]:
    """Every letter waiting for the post as HTML, each in its own language and in the
    customer's print format (large print if they chose it)."""
    return [
        document_html(
            letter.content["documents"][letter.locale], letter.reference, paper_variant(letter)
        )
        for letter in letters
    ]


def print_batch(pages_html: list[str]) -> bytes:
    """The batch as one PDF, each letter starting on a new page."""
    return pdf_from_pages(pages_html)
