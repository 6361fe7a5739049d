import struct
import zlib
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from privacy.images import clean_photo, make_thumbnail


def _jpeg_with_gps(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (43.0, 50.0, 0.0), 3: "E", 4: (87.0, 36.0, 0.0)}
    exif[0x8825] = gps
    out = BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_clean_photo_removes_exif_and_renames():
    raw = _jpeg_with_gps()
    assert Image.open(BytesIO(raw)).getexif().get_ifd(0x8825)
    cleaned = clean_photo(_upload(raw, name="我的照片.jpg"))
    assert cleaned.name.endswith(".jpg") and "照片" not in cleaned.name
    image = Image.open(BytesIO(cleaned.read()))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert image.size == (64, 48)


def test_clean_photo_accepts_png_under_a_wrong_extension():
    out = BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(out, "PNG")
    cleaned = clean_photo(_upload(out.getvalue(), name="photo.gif"))
    assert Image.open(BytesIO(cleaned.read())).format == "JPEG"


def _png_header_declaring(width, height) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    body = struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    data = zlib.compress(b"\x00" * 1000)
    idat = b"IDAT" + data
    body += struct.pack(">I", len(data)) + idat + struct.pack(">I", zlib.crc32(idat))
    return b"\x89PNG\r\n\x1a\n" + body + b"\x00" * 20000


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (_png_header_declaring(100000, 100000), "too_many_pixels"),
        (b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>", "invalid_image"),
        (_jpeg_with_gps()[:200], "invalid_image"),
        (b"GIF89a" + b"<svg onload=alert(1)>", "invalid_image"),
        (b"%PDF-1.4 not a photo", "invalid_image"),
    ],
    ids=["empty", "pixel-bomb", "html-behind-png-header", "truncated-jpeg", "gif-script", "pdf"],
)
def test_clean_photo_refuses_hostile_files(data, code):
    with pytest.raises(ValidationError) as info:
        clean_photo(_upload(data))
    assert info.value.code == code


def test_clean_photo_refuses_oversize_files(monkeypatch):
    upload = _upload(_jpeg_with_gps())
    upload.size = 9 * 1024 * 1024
    with pytest.raises(ValidationError) as info:
        clean_photo(upload)
    assert info.value.code == "too_large"


def test_make_thumbnail_is_small():
    cleaned = clean_photo(_upload(_jpeg_with_gps(size=(1600, 1200))))
    thumb = make_thumbnail(cleaned)
    assert max(Image.open(BytesIO(thumb.read())).size) <= 480
