"""Notices: Markdown to safe HTML."""

import markdown
import nh3
from django.db import transaction
from django.utils import timezone

from governance.models import Notice
from governance.queries.caching import bump_public_version

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "blockquote", "code", "pre",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr",
    "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}


def render_markdown(text: str) -> str:
    """Markdown (with tables) to HTML that keeps no script, style, event handler or image.

    Headings are shifted down one level (# becomes <h2>) so the page keeps one <h1>.
    Raw HTML in the source goes through the same sanitiser as the Markdown output.
    """
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    for level in range(5, 0, -1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )


@transaction.atomic
def publish_notices(*, queryset) -> int:
    _bump_public_pages(queryset)
    return queryset.exclude(status=Notice.Status.PUBLISHED).update(
        status=Notice.Status.PUBLISHED, updated_at=timezone.now()
    )


@transaction.atomic
def withdraw_notices(*, queryset) -> int:
    _bump_public_pages(queryset)
    return queryset.filter(status=Notice.Status.PUBLISHED).update(
        status=Notice.Status.DRAFT, updated_at=timezone.now()
    )


def _bump_public_pages(queryset) -> None:
    """update() sends no signals: invalidate the cached public pages
    (governance.queries.caching)."""
    for community_id in set(queryset.values_list("community_id", flat=True)):
        bump_public_version(community_id)
