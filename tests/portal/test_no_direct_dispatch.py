"""All background work starts through the outbox: `.delay(` and `.apply_async(` appear only in
portal/outbox.py. Work sent straight to the broker is lost when the broker is."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {ROOT / "portal" / "outbox.py"}
SOURCE_DIRS = ["portal", "applications", "approvals", "govdata", "bench"]
PATTERN = re.compile(r"\.(delay|apply_async)\(")


def test_only_the_outbox_sends_tasks_to_celery():
    offenders = []
    for folder in SOURCE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            if path in ALLOWED:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if PATTERN.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "use portal.outbox.outbox_enqueue instead:\n" + "\n".join(offenders)


def test_the_check_itself_would_catch_an_offender(tmp_path):
    assert PATTERN.search("run_check.delay(check.pk)")
    assert PATTERN.search("task.apply_async(args=[1])")
    assert not PATTERN.search("outbox_enqueue(handler='x')")
