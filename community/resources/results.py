"""What an import reports: the records it touched and one readable line per problem."""

from django.utils.translation import gettext as _


def imported_ids(result) -> list[int]:
    """Primary keys of the residents an import created, updated or found unchanged."""
    return sorted({row.instance.pk for row in result.rows if getattr(row, "instance", None)})


def row_error(number: int, message: str) -> str:
    """第12行:身份证号校验位错误"""
    return _("Row %(row)s: %(message)s") % {"row": number, "message": message}


def error_lines(result) -> list[str]:
    """Every problem of an import result, one readable line each."""
    lines = [str(e.error) for e in result.base_errors]
    for invalid in result.invalid_rows:
        lines.extend(invalid.error.messages)
    for number, errors in result.row_errors():
        lines.extend(row_error(number + 1, str(error.error)) for error in errors)
    return lines
