"""POST data of an admin change page as the browser would send it unchanged: the tests then
change the fields a person changes."""


def form_values(form) -> dict:
    data = {}
    for bound in form:
        if bound.field.disabled:
            continue
        value = bound.value()
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = "" if value is None else str(value)
    return data


def change_form_data(response) -> dict:
    """The main form's and every inline's values, with the inlines' management forms."""
    data = form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_values(formset.management_form))
        for form in formset.forms:
            data.update(form_values(form))
    return data


def add_inline_rows(data: dict, prefix: str, rows: list[dict]) -> dict:
    """Append new rows to an inline (as "Add another" does) and count them in TOTAL_FORMS."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{total + offset}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(total + len(rows))
    return data
