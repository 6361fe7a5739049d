"""The bare "hello" view of the throughput benchmark (bench/throughput.py, docs/benchmarks.md).

Served only when BENCHMARK_HELLO=1 is in the environment (config/urls.py), never by default:
it is the baseline the benchmark divides every page's throughput by, so it runs through the
same middleware, server and settings as the pages and does nothing else.
"""

from django.http import HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def benchmark_hello(request):
    return HttpResponse("hello", content_type="text/plain; charset=utf-8")
