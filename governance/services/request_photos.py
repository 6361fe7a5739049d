"""The photos of a resident request: up to three with the submission, up to three with the
resolution, each already cleaned by privacy.images.clean_photo.

A step that saves photos writes their files before its transaction commits; if the step then
fails, the rows roll back and the files written so far are deleted, so nothing is kept.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from governance.models.requests import RequestPhoto, ServiceRequest

MAX_PHOTOS = 3


def check_photo_count(photos: Sequence[ContentFile]) -> None:
    """At most MAX_PHOTOS photos per stage."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("At most %(count)d photos.") % {"count": MAX_PHOTOS}}, code="too_many"
        )


@contextmanager
def photo_files() -> Iterator[list[str]]:
    """The list save_photos() adds the written file names to; on any error inside the block
    those files are deleted before the error goes on."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            with suppress(OSError):
                default_storage.delete(name)
        raise


def save_photos(
    service_request: ServiceRequest,
    photos: Iterable[ContentFile],
    *,
    stage: str,
    written: list[str],
) -> None:
    """Attach the photos to the request at the given stage, noting each file in `written`."""
    for content in photos:
        photo = RequestPhoto(request=service_request, stage=stage)
        photo.image.save(content.name, content, save=False)
        written.append(photo.image.name)
        photo.save()
