"""A loopback HTTP proxy in front of the real Prefect server, for the faults a
real server will not produce on demand: a chosen request answered 503, or
forwarded with part of it left out and its answer rewritten (a bulk create
that reports some runs FAILED, as Prefect on a busy SQLite does), the
connection reset before or in the middle of the answer, a body cut short,
an answer stalled, bytes that are not JSON. With forward_first the request
reaches the server before the fault, so the server has done it and only
its answer is lost.

    proxy = FaultProxy(upstream_api_url, rule)
    ... point mahavishnu at proxy.api_url ...
    proxy.stop()

rule(request) -> None to forward as is, or a Fault. request is a Request:
method, path (without the API prefix), body (decoded JSON or None) and n,
how many requests of that method and path came before it.
"""
import http.client
import http.server
import json
import socket
import struct
import threading
import time
import urllib.parse
from dataclasses import dataclass, field


@dataclass
class Request:
    method: str
    path: str
    body: object
    n: int


@dataclass
class Fault:
    """status: answer this status (with body) without forwarding. Or forward
    request_body instead of the request's, and rewrite the answer with
    response(answer) -> answer."""
    status: int = 0
    body: object = None
    headers: dict = field(default_factory=dict)
    request_body: object = None
    response: object = None
    # "reset" (RST, no answer), "reset_mid_body" (the head and half the
    # answer, then RST), "truncate" (half the answer, then an orderly close),
    # "stall" (wait stall seconds, then go on), "raw" (answer status with
    # raw bytes of content_type instead of JSON)
    action: str = ""
    forward_first: bool = False
    stall: float = 0.0
    raw: bytes = b""
    content_type: str = "application/json"


class FaultProxy:
    def __init__(self, upstream_api_url, rule):
        up = urllib.parse.urlsplit(upstream_api_url.rstrip("/"))
        self.upstream = (up.hostname, up.port)
        self.prefix = up.path  # "/api"
        self.rule = rule
        self.counts = {}
        self.log = []          # (method, path, what happened)
        self.lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                proxy.handle(self)

            do_POST = do_PATCH = do_DELETE = do_PUT = do_GET

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        # a connection the proxy reset on purpose is not an error to report
        self.server.handle_error = lambda request, address: None
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.api_url = f"http://127.0.0.1:{self.server.server_address[1]}{self.prefix}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def handle(self, h):
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        path = h.path[len(self.prefix):] if h.path.startswith(self.prefix) else h.path
        with self.lock:
            key = (h.command, path)
            n = self.counts.get(key, 0)
            self.counts[key] = n + 1
        fault = self.rule(Request(h.command, path, body, n))
        if fault is not None and fault.action:
            return self.misbehave(h, path, raw, fault)
        if fault is not None and fault.status:
            self.note(h.command, path, f"answered {fault.status}")
            return self.answer(h, fault.status, fault.body, fault.headers)
        if fault is not None and fault.request_body is not None:
            raw = json.dumps(fault.request_body).encode()
        status, answer = self.forward(h, raw)
        if fault is not None and fault.response is not None and 200 <= status < 300:
            answer = fault.response(json.loads(answer) if answer else None)
            self.note(h.command, path, "rewritten")
            return self.answer(h, status, answer, {})
        self.note(h.command, path, "forwarded")
        self.send(h, status, answer, "application/json")

    def misbehave(self, h, path, raw, fault):
        status, answer = self.forward(h, raw) if fault.forward_first else (200, b"")
        self.note(h.command, path, fault.action + (" after forwarding" if fault.forward_first
                                                   else ""))
        if fault.action == "stall":
            time.sleep(fault.stall)
            if not fault.forward_first:
                status, answer = self.forward(h, raw)
            return self.send(h, status, answer, "application/json")
        if fault.action == "raw":
            return self.send(h, fault.status or 200, fault.raw, fault.content_type,
                             fault.headers)
        if fault.action == "reset":
            return self.reset(h)
        answer = answer or b'{"detail": "a body long enough to be cut in the middle"}'
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(answer)))
        h.end_headers()
        h.wfile.write(answer[:len(answer) // 2])
        h.wfile.flush()
        if fault.action == "reset_mid_body":
            return self.reset(h)
        h.close_connection = True
        h.connection.shutdown(socket.SHUT_WR)

    @staticmethod
    def reset(h):
        """Close with a TCP reset: what a crashed server or proxy leaves."""
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.close_connection = True
        h.connection.close()

    def note(self, method, path, what):
        with self.lock:
            self.log.append((method, path, what))

    def forward(self, h, raw):
        conn = http.client.HTTPConnection(*self.upstream, timeout=60)
        headers = {k: v for k, v in h.headers.items()
                   if k.lower() not in ("host", "content-length", "connection")}
        conn.request(h.command, h.path, body=raw or None, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return resp.status, data

    def answer(self, h, status, body, headers):
        data = json.dumps(body if body is not None else {"detail": "injected"}).encode()
        self.send(h, status, data, "application/json", headers)

    @staticmethod
    def send(h, status, data, ctype, headers=None):
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)
