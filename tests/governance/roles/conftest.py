"""The demo's people at their week's work, through the back office as they use it: logged in
as a demo login, opening the page, sending back the form as the browser would."""

import pytest
from django import forms
from django.contrib.auth import get_user_model


@pytest.fixture
def login(demo, client):
    """login("lead_jobs"): the client, logged in as that demo login."""

    def as_user(username):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return as_user


def _value(field, bound):
    value = bound.value()
    if isinstance(field.widget, forms.CheckboxInput):
        return "on" if value else None
    if isinstance(field, forms.FileField):
        return None
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def page_data(response) -> dict:
    """What the browser sends back from an admin add or change page as it was rendered: the
    main form's fields and each inline formset's rows with its management form."""
    assert response.status_code == 200, response.status_code
    context = response.context
    page_forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        page_forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in page_forms:
        for name, field in form.fields.items():
            value = _value(field, form[name])
            if value is not None:
                data[form[name].html_name] = value
    return data


def add_row(data: dict, prefix: str, **fields) -> dict:
    """A new row in the inline formset `prefix` of page_data()."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update({f"{prefix}-{index}-{name}": value for name, value in fields.items()})
    return data


def errors(response) -> list:
    """The form and inline errors of an admin page sent back with its errors (for messages)."""
    if response.status_code != 200 or response.context is None:
        return []
    found = [response.context["adminform"].form.errors]
    for inline in response.context.get("inline_admin_formsets", []):
        found += [inline.formset.non_form_errors(), *inline.formset.errors]
    return [error for error in found if error]
