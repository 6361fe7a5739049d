"""Project-wide promises: migrations, settings, translations, static files."""

import gettext
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

BASE_DIR = Path(settings.BASE_DIR)


def _production_env(**env: str) -> dict[str, str]:
    """This process's environment without the test-only and development switches."""
    dropped = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {
        k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("SECURE_")
    }
    return {**clean, **env}


def _run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = _production_env()
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=BASE_DIR,
    )


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", check=True, dry_run=True, stdout=StringIO())


def test_secret_key_is_required_unless_debug():
    result = _run_python("import django; django.setup()")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
    result = _run_python("import django; django.setup()", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_default_database_is_sqlite_with_wal_immediate_and_busy_timeout():
    result = _run_python(
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor();"
        "print(connection.settings_dict['OPTIONS']['transaction_mode'],"
        " c.execute('PRAGMA journal_mode').fetchone()[0],"
        " c.execute('PRAGMA busy_timeout').fetchone()[0])",
        DEBUG="1",
        DATABASE_URL="sqlite:////tmp/hx-settings-test.sqlite3",
    )
    assert result.stdout.split() == ["IMMEDIATE", "wal", "20000"], result.stderr


def test_production_settings_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(
            SECRET_KEY="k3x9-Qz7wV2pL8mN4rT6yU1iO0aS5dF3gH9jK2lZ8xC7vB4nM6qW1eR",
            ALLOWED_HOSTS="hongxing.example.cn",
        ),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_mode_turns_https_settings_on():
    result = _run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS > 0)",
        SECRET_KEY="x" * 60,
    )
    assert result.stdout.split() == ["False", "True", "True", "True", "True"], result.stderr
    result = _run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT)",
        SECRET_KEY="x" * 60,
        SECURE_SSL_REDIRECT="0",
    )
    assert result.stdout.strip() == "False"


def test_language_settings_are_chinese_first():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE


@pytest.mark.parametrize("po_path", sorted(BASE_DIR.glob("locale/*/LC_MESSAGES/django.po")))
def test_translation_catalogue_is_complete_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    assert po.untranslated_entries() == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    with open(po_path.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, "run `make messages`"


def test_catalogues_exist_for_both_languages():
    assert (BASE_DIR / "locale/zh_Hans/LC_MESSAGES/django.mo").exists()
    assert (BASE_DIR / "locale/en/LC_MESSAGES/django.po").exists()


def test_collectstatic_with_the_production_manifest_storage(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        env=_production_env(SECRET_KEY="x" * 60, STATIC_ROOT=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/bootstrap/bootstrap.min.*.css.gz"))
