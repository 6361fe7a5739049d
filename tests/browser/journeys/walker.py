"""A role's journey through the pages: the browser session of one logged-in person.

`Journey` wraps a Playwright page and holds the two bars every journey must pass:

- no response of 403, 404 or 5xx, whatever asked for it (a page, an XHR/fetch of a picker, a
  static file), unless the step says it expects a refusal (`refused()`: the viewer forcing a
  save);
- no Latin word in the visible text of a Chinese page, outside the allow-list of codes and
  units below (a word with a digit in it, such as a grid code G1 or a request reference, is a
  code too).

Every step helper (goto, save, click_through, pick, run_action) checks both: a refused or
broken response stops the journey at that step; the English words are collected page by page
and reported together by `finish()`, so one untranslated label does not hide the rest of the
journey (and the report lists every page and word at once).
"""

import contextlib
import re

# Abbreviations, file formats, key names and units a Chinese page may show as they are, and
# the language switch's "English" (a language is offered in its own name). No brand names.
ALLOWED_LATIN = frozenset(
    {
        "English",
        "Ctrl",
        "ID",
        "ISO",
        "QR",
        "PDF",
        "Excel",
        "XLSX",
        "CSV",
        "JPEG",
        "PNG",
        "WebP",
        "URL",
        "MB",
        "KB",
        "GB",
        "kg",
        "km",
        "m²",
        "cm",
        "mm",
    }
)
# A run of Latin letters (with its joined digits and marks), as a reader would see one token.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9²_./:@'’-]*")
_LETTERS = re.compile(r"[A-Za-z]{2,}")

# Visible text only: text nodes whose element is rendered, not clipped away (Django's
# .visually-hidden), plus the labels of visible buttons, placeholders and the options of visible
# drop-downs (a reader opens them).
_VISIBLE_TEXT_JS = """
() => {
  const hiddenCache = new Map();
  const clipped = (el) => {
    if (hiddenCache.has(el)) return hiddenCache.get(el);
    let result = false;
    if (el.parentElement) result = clipped(el.parentElement);
    if (!result) {
      const style = getComputedStyle(el);
      result = (style.clip && style.clip !== 'auto') || style.clipPath === 'inset(50%)';
    }
    hiddenCache.set(el, result);
    return result;
  };
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION', 'TITLE']);
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.nodeValue.trim();
    const el = node.parentElement;
    if (!text || !el || skip.has(el.tagName)) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    if (clipped(el)) continue;
    out.push(text);
  }
  for (const el of document.querySelectorAll(
      'input[type=submit], input[type=button], button, [placeholder], select')) {
    if (!el.checkVisibility() || clipped(el)) continue;
    if (el.tagName === 'SELECT') {
      for (const option of el.options) out.push(option.text);
    } else if (el.tagName === 'INPUT' && el.type !== 'text') {
      out.push(el.value);
    }
    if (el.placeholder) out.push(el.placeholder);
  }
  return out;
}
"""


def latin_words(texts, codes=frozenset()) -> list[str]:
    """The Latin words of `texts` a Chinese page should not show (`codes`: the data's own
    codes written in letters, such as a community's address slug)."""
    found = []
    for text in texts:
        for token in _TOKEN.findall(text):
            token = token.strip("./:'’-")
            if any(c.isdigit() for c in token) or "://" in token or "@" in token:
                continue  # a code (G1, HX-2024-0001, 12345), an address or a file name
            if not _LETTERS.search(token) or token in ALLOWED_LATIN or token in codes:
                continue
            found.append(f"{token!r} in {text[:80]!r}")
    return found


class Journey:
    """One person's browser session; see the module docstring for what each step checks."""

    def __init__(self, context, username, codes=frozenset()):
        self.context = context
        self.username = username
        self.codes = frozenset(codes)
        self.page = context.new_page()
        self.bad_responses: list[str] = []
        self.english: dict[str, list[str]] = {}
        self._refusals_allowed = False
        context.on("response", self._record)
        self.page.on("pageerror", lambda error: self.bad_responses.append(f"JS error: {error}"))

    def _record(self, response):
        status = response.status
        if response.url.endswith("/favicon.ico"):  # the browser's own guess, not a link
            return
        if status in (403, 404) or status >= 500:
            if status == 403 and self._refusals_allowed:
                return
            method = response.request.method
            self.bad_responses.append(f"{status} {method} {response.url}")

    # -- the bars ------------------------------------------------------------------------------

    def check(self, step=""):
        """Fail on any bad response met so far; note the Latin words of the page shown now."""
        where = f" ({self.username}, {step or self.page.url})"
        assert not self.bad_responses, (
            "refused or broken" + where + ": " + "; ".join(self.bad_responses)
        )
        lang = self.page.evaluate("document.documentElement.lang || ''")
        if lang.lower().startswith("zh"):
            words = latin_words(self.page.evaluate(_VISIBLE_TEXT_JS), self.codes)
            if words:
                path = self.page.url.split("//", 1)[-1].split("/", 1)[-1]
                page_words = self.english.setdefault("/" + path, [])
                page_words.extend(w for w in words if w not in page_words)

    @contextlib.contextmanager
    def refused(self):
        """A step that must be refused (403): the refusal is expected, anything else is not."""
        start = len(self.bad_responses)
        self._refusals_allowed = True
        try:
            yield
        finally:
            self._refusals_allowed = False
        assert self.bad_responses[start:] == [], self.bad_responses[start:]

    # -- steps ---------------------------------------------------------------------------------

    def login(self, password, next_url="/admin/"):
        """Through the admin's login page, as a person does (no session forged)."""
        page = self.page
        page.goto("/admin/login/?next=" + next_url)
        self.check("login page")
        page.fill("#id_username", self.username)
        page.fill("#id_password", password)
        page.locator("input[type=submit]").click()
        page.wait_for_load_state()
        assert "/account/two-factor/" not in page.url, "asked for a second factor"
        assert "/admin/login/" not in page.url, f"login of {self.username} failed"
        self.check("after login")

    def goto(self, path):
        response = self.page.goto(path)
        self.check(path)
        return response

    def click_through(self, locator):
        """Follow a link or press a button that loads a new page."""
        with self.page.expect_navigation():
            locator.click()
        self.check()

    def assert_editable(self):
        """The form shown offers to save (it is not the view-only page of a record)."""
        assert self.page.locator("input[name=_save]").count() == 1, (
            f"{self.page.url} is view-only for {self.username}"
        )

    def save(self, button="input[name=_save]"):
        """Press an admin form's save button; the form must be accepted (no error note)."""
        self.click_through(self.page.locator(button).first)
        errors = self.page.locator(".errornote, .errorlist")
        assert errors.count() == 0, f"form refused at {self.page.url}: " + " | ".join(
            errors.all_inner_texts()
        )

    def run_action(self, action_label, row_texts):
        """Tick the rows of a change list whose text contains each of row_texts, run an action."""
        page = self.page
        for text in row_texts:
            page.locator("#result_list tbody tr").filter(has_text=text).locator(
                "input.action-select"
            ).check()
        page.locator("select[name=action]").select_option(label=action_label)
        self.click_through(page.locator("button[name=index]"))

    def pick(self, field_id, search, choice=None):
        """Pick a record in a relation field the way the widget offers it: type into an
        autocomplete (select2) and click the match, or open a raw-id field's lookup window,
        search and click the match. `choice`: the text of the match (default: `search`)."""
        page, choice = self.page, choice or search
        field = page.locator(f"#{field_id}")
        classes = field.get_attribute("class") or ""
        if "admin-autocomplete" in classes:
            field.locator("xpath=following-sibling::span[contains(@class,'select2')]").click()
            with page.expect_response(lambda r: "/autocomplete/" in r.url):
                page.locator(".select2-container--open .select2-search__field").fill(search)
            self.check(f"picker of {field_id}")
            option = page.locator(".select2-results__option").filter(has_text=choice).first
            option.wait_for()
            self.check(f"picker of {field_id}")
            option.click()
        else:
            with page.expect_popup() as popup_info:
                page.locator(f"#lookup_{field_id}").click()
            popup = popup_info.value
            popup.wait_for_load_state()
            self.check(f"lookup window of {field_id}")
            popup.fill("#searchbar", search)
            popup.locator("#changelist-search input[type=submit]").click()
            popup.wait_for_load_state()
            self.check(f"lookup window of {field_id}")
            with popup.expect_event("close"):
                popup.locator("#result_list tbody a").filter(has_text=choice).first.click()
        self.check(f"picked {choice} in {field_id}")

    def finish(self):
        """The journey's end: nothing refused or broken, no English on its Chinese pages."""
        self.check("end of the journey")
        assert not self.english, f"English on Chinese pages ({self.username}): " + " || ".join(
            f"{path}: " + "; ".join(words[:8]) for path, words in self.english.items()
        )
