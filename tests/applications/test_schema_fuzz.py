"""Schemathesis against /api/schema/ with an applicant's token: no server error and no status code
the schema does not document."""

import subprocess
import sys
from pathlib import Path

from knox.models import AuthToken

from tests.factories import new_application

BIN = Path(sys.executable).parent


def test_the_api_keeps_its_schema_under_fuzzing(
    live_server, applicant, allow_async_unsafe, tmp_path
):
    new_application(applicant)
    _row, token = AuthToken.objects.create(user=applicant)
    result = subprocess.run(
        [
            str(BIN / "schemathesis"), "run", f"{live_server.url}/api/schema/",
            "--url", live_server.url,
            "-H", f"Authorization: Token {token}",
            "--checks", "not_a_server_error,status_code_conformance",
            "--max-examples", "25", "--seed", "2026",
            "--workers", "1", "--request-timeout", "20",
            "--suppress-health-check", "all",
            "--exclude-path-regex", "/auth/(token|logout|logoutall)/",
        ],
        capture_output=True, text=True, timeout=900, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
