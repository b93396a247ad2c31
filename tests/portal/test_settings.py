"""Settings come from the environment; production mode is strict. Each case runs manage.py in a
fresh process because settings are read once at start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import PRODUCTION_ENV, manage

ROOT = Path(__file__).resolve().parents[2]


def test_production_deploy_check_reports_no_issues():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("name", ["PERSONAL_DATA_KEYS", "PERSONAL_DATA_HASH_KEY"])
def test_production_refuses_to_start_without_personal_data_keys(name):
    result = manage("check", **{**PRODUCTION_ENV, name: ""})
    assert result.returncode != 0
    assert "PERSONAL_DATA_KEYS and PERSONAL_DATA_HASH_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", **{**PRODUCTION_ENV, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_demo_data_is_refused_in_production():
    result = manage("seed_demo", **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "refused in production" in result.stderr


def read_settings(names: list[str], env: dict[str, str]) -> list[str]:
    """Print settings expressions from a fresh process with exactly this environment."""
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings');"
        "django.setup(); from django.conf import settings as s;"
        f"print(*[eval(n, {{'s': s}}) for n in {names!r}], sep='\\n')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_embedded_default_uses_sqlite_eager_tasks_and_shanghai_time():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    names = [
        "s.DATABASES['default']['ENGINE']",
        "s.CELERY_TASK_ALWAYS_EAGER",
        "s.TIME_ZONE",
        "s.LANGUAGE_CODE",
    ]
    assert read_settings(names, env) == [
        "django.db.backends.sqlite3",
        "True",
        "Asia/Shanghai",
        "zh-hans",
    ]


def test_postgres_url_turns_on_the_native_pool_and_redis_url_the_real_broker():
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/x",
        "REDIS_URL": "redis://127.0.0.1:6379/3",
    }
    names = [
        "s.DATABASES['default']['ENGINE']",
        "'pool' in s.DATABASES['default']['OPTIONS']",
        "s.CELERY_TASK_ALWAYS_EAGER",
        "s.CELERY_BROKER_URL",
    ]
    assert read_settings(names, env) == [
        "django.db.backends.postgresql",
        "True",
        "False",
        "redis://127.0.0.1:6379/3",
    ]


def test_production_always_requires_the_second_factor_of_staff():
    env = {**os.environ, **PRODUCTION_ENV, "SIGNIN_TOTP_REQUIRED": "false"}
    names = ["s.SIGNIN_TOTP_REQUIRED", "s.REST_KNOX['TOKEN_TTL']", "s.STAFF_IDLE_TIMEOUT"]
    assert read_settings(names, env) == ["True", "10:00:00", "0:30:00"]
