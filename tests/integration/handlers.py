"""Handlers the integration tests queue; the worker process imports them by dotted path."""

import os


def append_token(*, path: str, token: str) -> None:
    # O_APPEND writes of one short line are atomic, so concurrent worker threads do not mix.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (token + "\n").encode())
    finally:
        os.close(fd)
