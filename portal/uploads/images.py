"""Pictures are decoded and written again as a fresh file (ASVS 5.2.2, SECURITY.md row 27).

Only the pixels survive: location and camera data (EXIF, XMP, comments) and anything
appended after the picture (a PHP script behind a JPEG) are not copied, because the new
file is made by the encoder from the decoded image, not edited from the old bytes.
"""

import io
import warnings

from PIL import Image, UnidentifiedImageError

from portal.uploads.refusals import DamagedFile, PictureTooLarge

# A 48-megapixel phone camera fits; a small file that decodes to gigabytes does not.
MAX_MEGAPIXELS = 50
FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
EXIF_ORIENTATION = 0x0112
# Pillow's encoders for these formats accept these modes unchanged.
SAVEABLE_MODES = {
    "JPEG": {"L", "RGB", "CMYK"},
    "PNG": {"1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"},
}
READ_ERRORS = (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError)


def reencoded(media_type: str, data: bytes) -> bytes:
    """The picture in ``data``, re-encoded without metadata; refused if it does not decode."""
    expected = FORMATS[media_type]
    try:
        picture = _decoded(data, expected)
        return _encoded(picture, expected)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PictureTooLarge(MAX_MEGAPIXELS) from None
    except READ_ERRORS:
        raise DamagedFile from None


def _decoded(data: bytes, expected: str) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data), formats=[expected]) as probe:
            _check_size(probe)
            probe.verify()  # checksums and structure, without decoding every pixel
        picture = Image.open(io.BytesIO(data), formats=[expected])
        picture.load()  # every pixel decodes, or this raises
    return picture


def _check_size(picture: Image.Image) -> None:
    width, height = picture.size
    if width * height > MAX_MEGAPIXELS * 1_000_000:
        raise PictureTooLarge(MAX_MEGAPIXELS)


def _encoded(picture: Image.Image, image_format: str) -> bytes:
    orientation = picture.getexif().get(EXIF_ORIENTATION, 1)
    options = {}
    if image_format == "JPEG" and orientation == 1 and picture.mode in SAVEABLE_MODES["JPEG"]:
        # The original's quantisation tables: no visible loss and about the same size.
        options = {"quality": "keep", "subsampling": "keep"}
    else:
        # Turned upright by its orientation tag, which is not copied.
        picture = _upright(picture, orientation)
        if picture.mode not in SAVEABLE_MODES[image_format]:
            picture = picture.convert("RGBA" if image_format == "PNG" else "RGB")
        if image_format == "JPEG":
            options = {"quality": 90}
    picture.info = {}  # nothing from the old file is passed to the encoder
    out = io.BytesIO()
    picture.save(out, format=image_format, **options)
    return out.getvalue()


def _upright(picture: Image.Image, orientation: int) -> Image.Image:
    method = {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_270,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90,
    }.get(orientation)
    return picture.transpose(method) if method is not None else picture.copy()
