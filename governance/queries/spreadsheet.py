"""Cells of the XLSX exports (the month's scores, the annual summary)."""


def text_cell(value):
    """A string as text, never as a formula (CSV/XLSX injection).

    A leading =, +, - or @ is escaped with an apostrophe; other values go in unchanged.
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
