"""Project-level guarantees: migrations in step, production settings safe."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from tests.helpers import ROOT

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7#k2!q9-production-like-secret-key-for-the-deploy-check-0a8f3d",
    "DJANGO_ALLOWED_HOSTS": "tracker.example.org",
}


def manage(*args, env=None):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )


@pytest.mark.django_db
def test_migrations_are_in_step_with_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.slow
def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env={**PRODUCTION, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.slow
def test_malformed_boolean_setting_is_reported():
    result = manage("check", env={"DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_a_server_process_freezes_what_it_loaded_out_of_the_collectors_reach():
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | PRODUCTION
    code = "import gc; import tracker.wsgi; print(gc.get_freeze_count())"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 10_000  # Django and the app, not a handful of objects
