"""The annual summary (年度工作综述): a year's figures per star, computed from the records.

Every figure is an SQL aggregate over the records of the community's year (the work ledger
through governance.queries.scores.ledger_figures, requests and disputes through
governance.queries.metrics, the registry, trainings, honours, the projects) and carries the URL
of the records behind it: an admin changelist filtered to exactly those records, or the
record's own page. The figures are data (figures.py: per star, each figure's key, label, value
source and link), read from the year's records (records.py) by a small evaluator (specs.py).

A fixed number of queries whatever the size of the data (one per kind of record).
"""

from governance.queries.annual.specs import Figure
from governance.queries.annual.summary import AnnualSummary, StarSection, annual_summary
from governance.queries.annual.workbook import annual_workbook

__all__ = ["AnnualSummary", "Figure", "StarSection", "annual_summary", "annual_workbook"]
