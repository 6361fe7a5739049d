"""Staff write notices and project texts in Markdown; residents get HTML that can carry no
script, style, event handler or image."""

import markdown
import nh3

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
