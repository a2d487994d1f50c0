"""Small real files of each accepted type, made by the libraries that read them, and the
hostile variants the upload checks must refuse or neutralise (SECURITY.md row 27)."""

import io
import zipfile

import pikepdf
from PIL import Image

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
GPS_IFD = 0x8825
EXIF_ORIENTATION = 0x0112


def pdf_bytes(extra=None) -> bytes:
    """A one-page PDF; ``extra(pdf)`` may add to it before it is written."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    if extra is not None:
        extra(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def picture(size=(64, 48), colour=(200, 30, 30)) -> Image.Image:
    image = Image.new("RGB", size, colour)
    image.putpixel((0, 0), (0, 0, 255))  # a marker, to tell which way up it is
    return image


def jpeg_bytes(image=None, *, gps: bool = False, orientation: int | None = None) -> bytes:
    image = image or picture()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)}
    if orientation is not None:
        exif[EXIF_ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=85, comment=b"taken at home")
    return out.getvalue()


def png_bytes(image=None) -> bytes:
    out = io.BytesIO()
    (image or picture()).save(out, format="PNG")
    return out.getvalue()


def docx_bytes(extra: dict | None = None, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """The parts Word needs to call it a document, and any ``extra`` parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"/>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
            'main"><w:body><w:p><w:r><w:t>The repair was not done.</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()
