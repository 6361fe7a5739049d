"""The annual summary (/dashboard/annual/<year>/): the page, its print view and its XLSX."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from governance.queries import annual
from governance.views.dashboard import dashboard_view

FIRST_YEAR = 2000


def _year_or_404(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    return year


@dashboard_view()
def annual_view(request, year):
    year = _year_or_404(year)
    summary = annual.annual_summary(community=request.community, year=year)
    this_year = timezone.localdate().year
    template = "governance/dashboard/annual.html"
    if request.GET.get("print"):
        template = "governance/dashboard/annual_print.html"
    return render(
        request,
        template,
        {
            "summary": summary,
            "year": year,
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year < this_year else None,
        },
    )


@dashboard_view()
def annual_export(request, year):
    year = _year_or_404(year)
    summary = annual.annual_summary(community=request.community, year=year)
    content = annual.annual_workbook(summary, base_url=request.build_absolute_uri("/")[:-1])
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"annual-{request.community.slug}-{year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
