"""The bare "hello" views of the throughput benchmark (bench/throughput.py, docs/benchmarks.md).

Served only when BENCHMARK_HELLO=1 is in the environment (config/urls.py), never by default.
`benchmark_hello` is the baseline the benchmark divides every page's throughput by: it runs
through the same middleware, server and settings as the pages and does nothing else.
`benchmark_hello_session` adds only what any page of a visitor with a session must do before
its own work: read the session and, for a logged-in user, load the user and check one
permission (the tracking page's and the dashboard's fixed cost, measured on its own).
"""

from django.http import HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def benchmark_hello(request):
    return HttpResponse("hello", content_type="text/plain; charset=utf-8")


@require_safe
def benchmark_hello_session(request):
    if request.user.is_authenticated:
        allowed = request.user.has_perm("governance.view_monthlyscore")
        return HttpResponse(f"hello {allowed}", content_type="text/plain; charset=utf-8")
    return HttpResponse(
        f"hello {len(request.session.keys())}", content_type="text/plain; charset=utf-8"
    )
