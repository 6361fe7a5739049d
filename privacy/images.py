"""Uploaded photos: checked, re-encoded (EXIF and GPS removed), renamed at random.

Only the pixels of an upload are kept: whatever else the file carried (metadata, a script
behind an image header, trailing bytes) is dropped by decoding and encoding it anew.
"""

import uuid
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTO_PIXELS = 30_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}
THUMBNAIL_SIZE = (480, 480)

# Pillow refuses anything above twice this outright; the check below comes first anyway.
Image.MAX_IMAGE_PIXELS = MAX_PHOTO_PIXELS


def clean_photo(upload) -> ContentFile:
    """Validate an uploaded image and return a clean JPEG under a random name."""
    size = getattr(upload, "size", None)
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("The photo is larger than %(limit)d MB.") % {"limit": MAX_PHOTO_BYTES // 2**20},
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("Only photos (JPEG, PNG, WebP, GIF) can be uploaded."), code="not_a_photo"
                )
            width, height = probe.size
            if width * height > MAX_PHOTO_PIXELS:
                raise Image.DecompressionBombError(f"{width}x{height}")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = BytesIO()
            image.save(out, "JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(
            _("The photo has more than %(limit)d million pixels.")
            % {"limit": MAX_PHOTO_PIXELS // 1_000_000},
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("The file is not a photo we can read, or it is damaged."), code="invalid_image"
        ) from None
    finally:
        upload.seek(0)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def make_thumbnail(content: ContentFile, size=THUMBNAIL_SIZE) -> ContentFile:
    """A small JPEG of an already cleaned photo."""
    content.seek(0)
    with Image.open(content) as image:
        image.thumbnail(size)
        out = BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80, optimize=True)
    content.seek(0)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}_thumb.jpg")


def attach_photo(photo, content: ContentFile) -> None:
    """Store a cleaned photo and its thumbnail in the record's image and thumbnail fields.

    The files are written; the record itself is left for the caller to save.
    """
    photo.image.save(content.name, content, save=False)
    thumbnail = make_thumbnail(content)
    photo.thumbnail.save(thumbnail.name, thumbnail, save=False)
