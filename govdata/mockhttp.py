"""What the mock outside systems (`payments.mock`, `mailing.mock`) share: serving a handler
until SIGTERM, and POSTing a signed callback until the receiver acknowledges it. Pure Python:
the mocks import no app and not Django."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

from .signing import signed_headers

logger = logging.getLogger(__name__)


def serve(
    *,
    prog: str,
    default_port: int,
    handler: type[BaseHTTPRequestHandler],
    attach: Callable[[ThreadingHTTPServer], None],
    argv: list[str] | None = None,
) -> None:
    """Parse --host/--port, `attach` the mock's state to the server, serve until stopped."""
    parser = argparse.ArgumentParser(prog=f"python -m {prog}")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=default_port)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s {prog} %(message)s")
    server = ThreadingHTTPServer((args.host, args.port), handler)
    server.daemon_threads = True
    server.request_queue_size = 128
    attach(server)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    logging.getLogger(prog).info("listening on http://%s:%s", args.host, args.port)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()


def post_signed(
    url: str, *, caller: str, key: str, body: bytes, waits: Iterable[float] = (0, 1, 2, 5, 15, 30)
) -> bool:
    """POST `body` to `url`, signed afresh for each attempt, until a 2xx; False if none came."""
    path = urlparse(url).path
    for wait in waits:
        time.sleep(wait)
        headers = signed_headers(caller, key, "POST", path, body)
        headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                if 200 <= response.status < 300:
                    return True
        except (urllib.error.URLError, OSError) as exc:
            logger.info("callback to %s failed: %s", url, exc)
    return False
