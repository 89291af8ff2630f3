"""Helpers shared by the integration tests: a small Prefect REST client
(standard library only), table/panel parsing and terminal-width helpers."""

import http.client
import json
import re
import socket
import time
import unicodedata
import urllib.parse
import uuid

UUID_RE = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST) and two-byte ESC sequences.
ANSI_RE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")

BOX_CHARS = set("┏┓┗┛┃━┳┻╋┡┩╇│─┌┐└┘├┤┬┴┼╭╮╯╰═║╔╗╚╝")


def free_port():
    """A loopback TCP port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unique(prefix="mv"):
    """A name no other test uses (the server is shared by the session)."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


# What a list cut by --limit says on stderr (the only thing a successful list may say there).
CUT_HINT = re.compile(r"hint: showing (\d+) of (\d+) ([a-z ]+); --limit N shows more, --limit 0 all\n")


def quiet(err):
    """Whether stderr is empty, or only says that --limit cut the list."""
    return err == "" or CUT_HINT.fullmatch(strip_ansi(err)) is not None


def strip_ansi(text):
    return ANSI_RE.sub("", text)


def display_width(text):
    """Columns a string takes on a terminal: East Asian wide/fullwidth
    characters count 2, combining marks 0, everything else (box drawing,
    check marks, the ellipsis) 1."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def control_chars(text):
    """Every C0/C1 control character (and DEL) in text except the newline."""
    return [ch for ch in text
            if ch != "\n" and (ord(ch) < 0x20 or 0x7f <= ord(ch) <= 0x9f)]


def parse_panel(text):
    """A Rich-style panel -> (title, {field: value}).

    ┏━━━━━━━━━━━━━┓
    ┃ ✓ Title     ┃
    ┡━━━━━━━━━━━━━┩
    │ Name:  value │
    └──────────────┘
    """
    title = None
    fields = {}
    for line in strip_ansi(text).splitlines():
        if line.startswith("┃") and title is None:
            title = line.strip("┃").strip()
        elif line.startswith("│"):
            inner = line[1:]
            if inner.endswith("│"):
                inner = inner[:-1]
            m = re.match(r"^\s*([A-Za-z][A-Za-z ]*?):\s+(.*?)\s*$", inner)
            if m:
                fields[m.group(1)] = m.group(2)
    return title, fields


def parse_table(text):
    """A Rich-style table -> (title, header cells, rows of cells).

    The title is the non-empty line above the top border."""
    lines = strip_ansi(text).splitlines()
    title = None
    header = None
    rows = []
    for i, line in enumerate(lines):
        if line.startswith("┏"):
            above = [l for l in lines[:i] if l.strip()]
            title = above[-1].strip() if above else None
        elif line.startswith("┃") and header is None:
            header = [c.strip() for c in line.strip("┃").split("┃")]
        elif line.startswith("│"):
            rows.append([c.strip() for c in line.strip("│").split("│")])
    return title, header, rows


class RestError(Exception):
    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {body[:500]!r}")
        self.status = status
        self.body = body


class Rest:
    """A tiny Prefect REST client over one keep-alive connection."""

    def __init__(self, api_url):
        self.api_url = api_url.rstrip("/")
        parsed = urllib.parse.urlsplit(self.api_url)
        self.host = parsed.hostname
        self.port = parsed.port
        self.prefix = parsed.path
        self._conn = None

    def _connection(self):
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        return self._conn

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def raw(self, method, path, body=None):
        """-> (status, decoded JSON or None). Like Prefect's own client, retries
        503 (the SQLite server answers it when the database is busy; the
        transaction was rolled back, so repeating is safe)."""
        delay = 0.05
        for _ in range(10):
            status, value = self._once(method, path, body)
            if status != 503:
                break
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
        return status, value

    def _once(self, method, path, body=None):
        """One request; retries once on a dropped keep-alive connection."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, self.prefix + path, body=data, headers=headers)
                resp = conn.getresponse()
                payload = resp.read()
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                self.close()
                if attempt == 2:
                    raise
        text = payload.decode("utf-8", "replace")
        try:
            value = json.loads(text) if text else None
        except ValueError:
            value = text
        return resp.status, value

    def call(self, method, path, body=None, ok=(200, 201, 204)):
        status, value = self.raw(method, path, body)
        if status not in ok:
            raise RestError(status, str(value))
        return value

    # --- server -----------------------------------------------------------
    def version(self):
        return self.call("GET", "/admin/version")

    # --- flows --------------------------------------------------------------
    def create_flow(self, name, tags=(), labels=None):
        body = {"name": name, "tags": list(tags)}
        if labels is not None:
            body["labels"] = labels
        return self.call("POST", "/flows/", body)

    def read_flow(self, flow_id):
        """The flow, or None when the server has no such flow."""
        status, value = self.raw("GET", f"/flows/{flow_id}")
        if status == 404:
            return None
        if status != 200:
            raise RestError(status, str(value))
        return value

    def flows_named(self, *names):
        return self.call("POST", "/flows/filter",
                         {"flows": {"name": {"any_": list(names)}}})

    def flow_by_name(self, name):
        found = self.flows_named(name)
        assert len(found) <= 1, found
        return found[0] if found else None

    def flows_name_like(self, fragment):
        return self.all_flows({"flows": {"name": {"like_": fragment}}})

    def count_flows(self, body=None):
        return self.call("POST", "/flows/count", body or {})

    def all_flows(self, body=None, sort="CREATED_DESC"):
        """Every flow matching body, paging through the 200-row limit."""
        out = []
        while True:
            page = self.call("POST", "/flows/filter",
                             dict(body or {}, sort=sort, offset=len(out), limit=200))
            out.extend(page)
            if len(page) < 200:
                return out

    def delete_flow(self, flow_id, missing_ok=True):
        status, value = self.raw("DELETE", f"/flows/{flow_id}")
        if status == 404 and missing_ok:
            return False
        if status not in (200, 204):
            raise RestError(status, str(value))
        return True

    # --- runs and deployments -------------------------------------------------
    def create_flow_run(self, flow_id, state_type="COMPLETED", **extra):
        body = {"flow_id": flow_id, "state": {"type": state_type}}
        body.update(extra)
        return self.call("POST", "/flow_runs/", body)

    def runs_of(self, flow_id):
        return self.call("POST", "/flow_runs/filter",
                         {"flows": {"id": {"any_": [flow_id]}}, "limit": 200})

    def create_deployment(self, flow_id, name="d", version=None, **extra):
        body = {"name": name, "flow_id": flow_id}
        if version is not None:
            body["version"] = version
        body.update(extra)
        return self.call("POST", "/deployments/", body)

    def deployments_of(self, flow_id):
        return self.call("POST", "/deployments/filter",
                         {"flows": {"id": {"any_": [flow_id]}}, "limit": 200})

    def all_deployments(self):
        out = []
        while True:
            page = self.call("POST", "/deployments/filter",
                             {"offset": len(out), "limit": 200})
            out.extend(page)
            if len(page) < 200:
                return out


def bulk_create(rest, deployment_id, bodies):
    """Create runs of a deployment, repeating the ones a busy server failed
    (their idempotency keys make a repeat return the run it has)."""
    for _ in range(20):
        results = rest.call("POST", f"/deployments/{deployment_id}/create_flow_run/bulk",
                            bodies)["results"]
        bodies = [b for b, r in zip(bodies, results) if r["status"] != "CREATED"]
        if not bodies:
            return
    raise AssertionError(f"{len(bodies)} runs could not be created")


def check_error(stderr, hint=None, contains=()):
    """stderr is one 'mahavishnu: ' line, optionally followed by 'hint: '
    lines (exactly one when hint is True, none when hint is False). Returns
    the error line."""
    lines = stderr.splitlines()
    assert lines, "expected an error message on stderr, got nothing"
    assert lines[0].startswith("mahavishnu: "), stderr
    extra = lines[1:]
    assert all(l.startswith("hint: ") for l in extra), stderr
    if hint is True:
        assert len(extra) == 1, stderr
    elif hint is False:
        assert not extra, stderr
    for fragment in contains:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"
    return lines[0]
