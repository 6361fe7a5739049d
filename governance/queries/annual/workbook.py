"""The annual summary as an XLSX file: one row per figure, with the link to its records."""

from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from governance.queries.annual.summary import AnnualSummary
from governance.queries.spreadsheet import text_cell


def annual_workbook(summary: AnnualSummary, *, base_url: str = "") -> bytes:
    """The summary as an XLSX file: one row per figure, with the link to its records."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Annual summary")
    sheet.append([text_cell(f"{summary.community.full_name} {summary.year}")])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("Star"), _("Figure"), _("Value"), _("Unit"), _("Records")])
    for cell in sheet[2]:
        cell.font = Font(bold=True)

    def number(value):
        if isinstance(value, Decimal):
            return float(value)
        return value

    for figure in summary.overview:
        sheet.append(
            [
                _("Community"),
                text_cell(str(figure.label)),
                number(figure.value),
                text_cell(str(figure.unit)),
                text_cell(base_url + figure.url),
            ]
        )
    for section in summary.sections:
        for figure in section.figures:
            sheet.append(
                [
                    text_cell(section.star.name),
                    text_cell(str(figure.label)),
                    number(figure.value),
                    text_cell(str(figure.unit)),
                    text_cell(base_url + figure.url),
                ]
            )
        sheet.append(
            [
                text_cell(section.star.name),
                _("Mean monthly score"),
                number(section.mean_score),
                "",
                text_cell(base_url + section.scores_url),
            ]
        )
        sheet.append(
            [text_cell(section.star.name), _("Quarters lit"), section.quarters_lit, "/4", ""]
        )
    for column, width in zip("ABCDE", (16, 48, 14, 8, 60), strict=True):
        sheet.column_dimensions[column].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()
