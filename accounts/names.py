"""How the back office names a person who has an account: by their name, not their login.

Every list, picker (a select or an autocomplete of users) and change page shows a user through
str(user); accounts.apps.AccountsConfig.ready() makes that the display name below, so an
assignee, a visitor or a mediator appears as 王芳, not as wangfang01. The login name is the
fallback for an account whose name was never filled in.
"""

import re

_CJK = re.compile(r"[\u3400-\u9fff]")


def display_name(user) -> str:
    """The full name: surname first and no space for a Chinese name (王 + 芳 = 王芳), "first
    last" otherwise; the login name when both are empty."""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    name = last + first if _CJK.search(first + last) else f"{first} {last}".strip()
    return name or user.get_username()
