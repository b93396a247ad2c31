"""docker-compose.yml describes the production topology and the offline validator accepts it."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TOPOLOGY = {"postgres", "redis", "web", "worker-govdata", "worker-default", "beat", "govdata-mock"}


def test_compose_has_the_production_topology_with_health_checks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) >= TOPOLOGY
    for name in TOPOLOGY:
        assert "healthcheck" in services[name], name
    assert (
        "-Q" in services["worker-govdata"]["command"]
        and "govdata" in services["worker-govdata"]["command"]
    )
    assert "threads" in services["worker-govdata"]["command"]


def test_docker_compose_config_accepts_the_file():
    binary = shutil.which("docker-compose")
    if binary is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("docker-compose (Debian package) is needed in CI to validate the topology")
        pytest.skip("docker-compose is not installed (apt-get install docker-compose)")
    env = {
        **os.environ,
        "SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "portal.example.cn",
        "POSTGRES_PASSWORD": "pw",
        "GOVDATA_KEY": "key",
        "PAYMENT_KEY": "key",
        "COURIER_KEY": "key",
        "SMS_GATEWAY_URL": "https://sms.example.cn/send",
        "SMS_GATEWAY_KEY": "key",
        "PERSONAL_DATA_KEYS": "pdk",
        "PERSONAL_DATA_HASH_KEY": "pdhk",
    }
    result = subprocess.run(
        [binary, "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
