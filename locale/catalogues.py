"""Finish the catalogues after `makemessages` (run by `make messages`; needs polib).

- English is the source language: every English entry gets msgstr = msgid, so the
  completeness test can tell a forgotten Chinese translation from a deliberate one.
- Every catalogue is compiled to .mo with polib, so no system gettext is needed to compile;
  that includes djangojs.po, the admin's JavaScript strings Django's zh_Hans lacks (kept by
  hand: makemessages runs for the django domain only).
- Reports the Chinese entries still untranslated or fuzzy (the test suite fails on them).
"""

import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent


def main() -> int:
    missing = []
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        po = polib.pofile(str(po_path), wrapwidth=0)
        if po_path.parts[-3] == "en":
            for entry in po:
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                else:
                    entry.msgstr = entry.msgid
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            po.save()
        else:
            missing += [f"{po_path}: {e.msgid!r}" for e in po.untranslated_entries()]
            missing += [f"{po_path}: fuzzy {e.msgid!r}" for e in po.fuzzy_entries()]
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
    for line in missing:
        print(line)
    if missing:
        print(f"{len(missing)} Chinese entries still need a translation (the tests will fail).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
