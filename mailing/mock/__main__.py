"""The mocked courier (EMS-like), run as its own HTTP service.

    python -m mailing.mock --port 8003

The portal reaches it only through `mailing.client`. Calls are signed with the sender's key
(`govdata.signing`'s scheme) and answers signed back:

- `POST /shipments` {reference, address, recipient, phone, contents, callback_url}: a waybill
  (the same reference answers the same shipment);
- `GET /shipments/<tracking_no>`: the shipment and its statuses;
- `POST /shipments/<tracking_no>/redeliver`: try the delivery again after a failure.

Each shipment then moves on by itself — accepted, in transit, out for delivery, delivered (or
delivery failed) — and every status is POSTed, signed, to the shipment's `callback_url`, retried
until the sender answers 2xx.

Fault injection: COURIER_MOCK_FAULTS as JSON or `PUT /_control/faults` (loopback only):
`step_ms` (time between statuses, default 500), `fail_rate` (a delivery fails),
`error_rate` (503 to calls), `latency_ms`, `signature: "forged"`.
"""

from __future__ import annotations

import json
import logging
import os
import random
import secrets
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler

from govdata.mockhttp import post_signed, serve
from govdata.signing import HEADER_CONSUMER, HEADER_NONCE, NonceCache, response_headers, verify

logger = logging.getLogger("mailing.mock")
DEV_SENDER = "power-portal"
DEV_KEY = "dev-only-courier-key"  # noqa: S105 - the development default the portal uses too
FORGED_KEY = "not-the-couriers-key"  # noqa: S105
ROUTE = ["accepted", "in_transit", "out_for_delivery"]


class Courier:
    def __init__(self, keys: dict[str, str], faults: dict) -> None:
        self.keys, self.faults = keys, faults
        self.nonces = NonceCache()
        self.shipments: dict[str, dict] = {}
        self.by_reference: dict[tuple[str, str], str] = {}
        self.lock = threading.Lock()
        self.random = random.Random()

    def travel(self, tracking_no: str, statuses: list[str]) -> None:
        threading.Thread(target=self._travel, args=(tracking_no, statuses), daemon=True).start()

    def _travel(self, tracking_no: str, statuses: list[str]) -> None:
        for status in statuses:
            with self.lock:
                faults = dict(self.faults)
            time.sleep(faults.get("step_ms", 500) / 1000)
            if status == "delivered" and self.random.random() < faults.get("fail_rate", 0):
                status = "delivery_failed"
            with self.lock:
                shipment = self.shipments[tracking_no]
                event = {"status": status, "at": datetime.now(UTC).isoformat()}
                shipment["status"] = status
                shipment["events"].append(event)
            self._callback(shipment, event, faults)

    def _callback(self, shipment: dict, event: dict, faults: dict) -> None:
        body = json.dumps(
            {"tracking_no": shipment["tracking_no"], "reference": shipment["reference"], **event}
        ).encode()
        key = FORGED_KEY if faults.get("signature") == "forged" else self.keys[shipment["sender"]]
        post_signed(shipment["callback_url"], caller=shipment["sender"], key=key, body=body)


class Handler(BaseHTTPRequestHandler):
    server_version = "CourierMock/1.0"
    protocol_version = "HTTP/1.1"

    @property
    def courier(self) -> Courier:
        return self.server.courier  # type: ignore[attr-defined]

    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        key = self.courier.keys.get(self.headers.get(HEADER_CONSUMER, ""))
        if key and self.courier.faults.get("signature") == "forged":
            key = FORGED_KEY
        if key:
            nonce = self.headers.get(HEADER_NONCE, "")
            for name, value in response_headers(key, status, nonce, data).items():
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _sender(self, method: str, body: bytes) -> str | None:
        refused = verify(
            self.courier.keys, self.headers, method, self.path, body, self.courier.nonces
        )
        if refused:
            self._json(401, {"error": refused})
            return None
        with self.courier.lock:
            faults = dict(self.courier.faults)
            roll = self.courier.random.random()
        if faults.get("latency_ms"):
            time.sleep(faults["latency_ms"] / 1000)
        if roll < faults.get("error_rate", 0):
            self._json(503, {"error": "busy"})
            return None
        return self.headers[HEADER_CONSUMER]

    def _own(self, sender: str, tracking_no: str) -> dict | None:
        shipment = self.courier.shipments.get(tracking_no)
        if shipment is None or shipment["sender"] != sender:
            self._json(404, {"error": "not_found"})
            return None
        return shipment

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        parts = self.path.strip("/").split("/")
        if self.path == "/healthz":
            self._json(200, {"status": "ok"})
        elif parts[0] == "shipments" and len(parts) == 2:
            if (sender := self._sender("GET", b"")) and (shipment := self._own(sender, parts[1])):
                self._json(200, public(shipment))
        else:
            self._json(404, {"error": "not_found"})

    def do_PUT(self) -> None:  # noqa: N802
        if self.path == "/_control/faults" and self.client_address[0] in {"127.0.0.1", "::1"}:
            with self.courier.lock:
                self.courier.faults = json.loads(self._body() or b"{}")
            self._json(200, {"faults": self.courier.faults})
        else:
            self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:  # noqa: N802
        body = self._body()
        parts = self.path.strip("/").split("/")
        if self.path == "/shipments":
            if sender := self._sender("POST", body):
                self._create(sender, body)
        elif parts[0] == "shipments" and len(parts) == 3 and parts[2] == "redeliver":
            if (sender := self._sender("POST", body)) and (shipment := self._own(sender, parts[1])):
                if shipment["status"] != "delivery_failed":
                    self._json(409, {"error": "not_failed", **public(shipment)})
                    return
                self.courier.travel(shipment["tracking_no"], ["out_for_delivery", "delivered"])
                self._json(200, public(shipment))
        else:
            self._json(404, {"error": "not_found"})

    def _create(self, sender: str, body: bytes) -> None:
        try:
            data = json.loads(body)
            key = (sender, str(data["reference"]))
            address, callback = str(data["address"]), str(data["callback_url"])
        except (KeyError, ValueError, TypeError) as exc:
            self._json(400, {"error": "bad_request", "detail": str(exc)})
            return
        with self.courier.lock:
            tracking_no = self.courier.by_reference.get(key)
            created = tracking_no is None
            if created:
                tracking_no = f"E{secrets.randbelow(10**11):011d}CN"
                self.courier.by_reference[key] = tracking_no
                self.courier.shipments[tracking_no] = {
                    "tracking_no": tracking_no,
                    "reference": key[1],
                    "sender": sender,
                    "address": address,
                    "contents": data.get("contents", []),
                    "callback_url": callback,
                    "status": "created",
                    "events": [],
                }
        if created:
            self.courier.travel(tracking_no, [*ROUTE, "delivered"])
        self._json(200, public(self.courier.shipments[tracking_no]))

    def log_message(self, fmt: str, *args) -> None:
        logger.debug("%s %s", self.address_string(), fmt % args)


def public(shipment: dict) -> dict:
    return {k: v for k, v in shipment.items() if k not in {"sender", "callback_url"}}


def main(argv: list[str] | None = None) -> None:
    keys = json.loads(os.environ.get("COURIER_MOCK_SENDERS") or "{}") or {
        os.environ.get("COURIER_SENDER_ID", DEV_SENDER): os.environ.get("COURIER_KEY") or DEV_KEY
    }
    faults = json.loads(os.environ.get("COURIER_MOCK_FAULTS") or "{}")

    def attach(server) -> None:
        server.courier = Courier(keys, faults)

    serve(prog="mailing.mock", default_port=8003, handler=Handler, attach=attach, argv=argv)


if __name__ == "__main__":
    main()
