"""whitenoise serves the collected static files compressed and, for hashed names, cached for
good (production settings, after a real collectstatic)."""

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import json, django
django.setup()
from django.templatetags.static import static
from django.test import Client
client = Client()
hashed = static("vendor/bootstrap/bootstrap.min.css")
out = {"hashed_url": hashed}
for name, url, encoding in [
    ("hashed", hashed, "gzip"),
    ("hashed_br", hashed, "br"),
    ("plain", "/static/vendor/bootstrap/bootstrap.min.css", "identity"),
]:
    response = client.get(url, HTTP_ACCEPT_ENCODING=encoding)
    out[name] = {
        "status": response.status_code,
        "cache_control": response.get("Cache-Control", ""),
        "encoding": response.get("Content-Encoding", ""),
        "vary": response.get("Vary", ""),
    }
print(json.dumps(out))
"""


def _production(**env):
    dropped = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {
        k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("SECURE_")
    }
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "x" * 60,
        "FIELD_ENCRYPTION_KEY": "static-test-key",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "testserver",
        **env,
    }


def test_static_files_are_compressed_and_hashed_names_cached_for_a_year(tmp_path):
    env = _production(STATIC_ROOT=str(tmp_path))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
        timeout=300,
        cwd=settings.BASE_DIR,
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["hashed_url"] != "/static/vendor/bootstrap/bootstrap.min.css"  # a hashed name
    hashed = out["hashed"]
    assert hashed["status"] == 200
    assert "max-age=315360000" in hashed["cache_control"]
    assert "immutable" in hashed["cache_control"]
    assert hashed["encoding"] == "gzip"
    assert "Accept-Encoding" in hashed["vary"]
    if list(tmp_path.glob("vendor/bootstrap/*.css.br")):  # brotli installed
        assert out["hashed_br"]["encoding"] == "br"
    # An unhashed name may change under the same URL: short caching only.
    plain = out["plain"]
    assert plain["status"] == 200
    assert "max-age=315360000" not in plain["cache_control"]
