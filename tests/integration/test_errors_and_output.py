"""Cross-cutting contracts: unreachable API, stalls, colour, width, JSON
purity, control characters from the server, write errors."""

import json
import socket
import threading
import time

import pytest

from mv_helpers import (BOX_CHARS, check_error, control_chars, display_width, quiet,
                        free_port, strip_ansi, unique)

# --- the API cannot be reached ---------------------------------------------------

DOWN_COMMANDS = [
    ["prefect", "flow", "list"],
    ["prefect", "flow", "list", "-o", "json"],
    ["prefect", "flow", "get", "some-flow"],
    ["prefect", "flow", "create", "--name", "never-created"],
    ["prefect", "flow", "delete", "some-flow", "--yes"],
    ["prefect", "dashboard"],
]


@pytest.mark.parametrize("cmd", DOWN_COMMANDS, ids=lambda c: " ".join(c[1:]))
@pytest.mark.parametrize("via", ["flag", "env"])
def test_server_down_exits_6_fast_with_one_line(run, cmd, via):
    api = f"http://127.0.0.1:{free_port()}/api"
    start = time.monotonic()
    if via == "flag":
        rc, out, err = run("--api-url", api, *cmd)
    else:
        rc, out, err = run(*cmd, env={"PREFECT_API_URL": api})
    elapsed = time.monotonic() - start
    assert rc == 6, err
    assert out == ""
    check_error(err, hint=True, contains=[api])
    assert elapsed < 3, f"took {elapsed:.2f} s"


def test_api_url_without_api_suffix_is_not_reported_as_a_missing_flow(run, prefect_server,
                                                                     scratch):
    """A base URL that is not a Prefect API answers 404 to everything; the
    client must say that the request failed (what, where), not claim that the
    flow does not exist, and not print a bare 'Not Found'."""
    flow = scratch.flow(unique("exists"))
    wrong = prefect_server.url  # without /api
    rc, out, err = run("prefect", "flow", "get", flow["name"],
                       env={"PREFECT_API_URL": wrong})
    assert rc != 0
    assert out == ""
    line = check_error(err)
    assert "no flow named" not in line, f"a 404 from a wrong URL became 'no such flow': {line}"

    rc, out, err = run("prefect", "flow", "list", env={"PREFECT_API_URL": wrong})
    assert rc != 0
    assert out == ""
    line = check_error(err)
    assert wrong in err or "/flows" in line, f"the error does not say what failed: {line!r}"


class Staller:
    """A listening socket that accepts connections and never answers."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        for c in self.conns:
            c.close()
        self.thread.join(timeout=5)


@pytest.fixture
def staller():
    s = Staller()
    yield s
    s.close()


@pytest.mark.parametrize("cmd", [["prefect", "flow", "list"],
                                 ["prefect", "flow", "list", "-o", "json"],
                                 ["prefect", "dashboard"]],
                         ids=lambda c: " ".join(c[1:]))
def test_stalled_server_times_out_with_exit_6(run, staller, cmd):
    api = f"http://127.0.0.1:{staller.port}/api"
    run.write("settings/mahavishnu.yaml",
              f'prefect:\n  api_url: "{api}"\n  timeout: 2\n  max_retries: 0\n')
    start = time.monotonic()
    rc, out, err = run(*cmd, env={"PREFECT_API_URL": None}, timeout=30)
    elapsed = time.monotonic() - start
    assert rc == 6, err
    assert out == ""
    check_error(err, contains=[api])
    assert staller.conns, "the binary never connected"
    assert 1.5 <= elapsed < 5.5, f"took {elapsed:.2f} s with timeout: 2"


# --- colour ------------------------------------------------------------------------

@pytest.fixture
def colourful(rest, scratch):
    """Three flows whose table rows are stable in time (no runs)."""
    a = scratch.flow(unique("col"), tags=["t"], labels={"description": "c"})
    b = scratch.flow(unique("col"), deployment="4.5.6")
    c = scratch.flow(unique("col"))
    return a, b, c


COLOUR_COMMANDS = {
    "flow list": lambda f: ["prefect", "flow", "list", "--limit", "3"],
    "flow get": lambda f: ["prefect", "flow", "get", f[1]["name"]],
    "dashboard": lambda f: ["prefect", "dashboard"],
    "config show": lambda f: ["config", "show", "--sources"],
}


@pytest.mark.parametrize("name", list(COLOUR_COMMANDS))
def test_colour_only_adds_escapes(run, colourful, name):
    args = COLOUR_COMMANDS[name](colourful)
    rc, plain, err = run(*args, env={"NO_COLOR": "1"})
    assert rc == 0 and quiet(err), err
    rc, forced, err = run(*args, env={"FORCE_COLOR": "1"})
    assert rc == 0 and quiet(err), err
    rc, piped, err = run(*args)
    assert rc == 0 and quiet(err), err
    rc, flag, err = run("--no-color", *args, env={"FORCE_COLOR": "1"})
    assert rc == 0 and quiet(err), err

    assert "\x1b[" in forced, "FORCE_COLOR=1 produced no colour"
    assert "\x1b" not in plain
    assert "\x1b" not in piped
    assert "\x1b" not in flag
    assert strip_ansi(forced) == plain
    assert piped == plain
    assert flag == plain


def test_force_color_never_touches_json(run, colourful):
    rc, out, err = run("prefect", "flow", "list", "--limit", "3", "-o", "json",
                       env={"FORCE_COLOR": "1"})
    assert rc == 0 and quiet(err), err
    assert "\x1b" not in out
    assert [f["id"] for f in json.loads(out)] == [f["id"] for f in reversed(colourful)]


# --- width -------------------------------------------------------------------------

@pytest.fixture
def wide_flows(rest, scratch):
    long = "x" * 30
    a = scratch.flow(unique("a-rather-long-flow-name-" + long), tags=["one", "two", "three"],
                     labels={"description": "a description far wider than forty columns"},
                     runs=["COMPLETED"], deployment="10.20.30-beta.4+build.567")
    b = scratch.flow(unique("another-quite-long-flow-name-" + long), runs=["FAILED"])
    return a, b


def flat(text):
    """text without blanks and box characters: a value wrapped across lines reads whole."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in BOX_CHARS)


WIDTH_COMMANDS = {
    "flow list": lambda f: ["prefect", "flow", "list", "--limit", "2"],
    "flow get": lambda f: ["prefect", "flow", "get", f[0]["id"]],
    "dashboard": lambda f: ["prefect", "dashboard"],
    "config show": lambda f: ["config", "show"],
    "config show --sources": lambda f: ["config", "show", "--sources"],
}


@pytest.mark.parametrize("name", list(WIDTH_COMMANDS))
def test_columns_40_fits_every_table_line(run, wide_flows, name):
    args = WIDTH_COMMANDS[name](wide_flows)
    rc, out, err = run(*args, env={"COLUMNS": "40"})
    assert rc == 0 and quiet(err), err
    lines = out.splitlines()
    table_lines = [l for l in lines if l[:1] in BOX_CHARS]
    assert table_lines
    # every line of the table, its centred title included (config show's
    # one-line plain-text footer is not part of the table)
    checked = [l for l in lines if not l.startswith("Effective API URL:")]
    too_wide = [(display_width(l), l) for l in checked if display_width(l) > 40]
    assert not too_wide, "\n".join(f"{w:3d} {l}" for w, l in too_wide)
    for l in table_lines:
        assert l[-1] in BOX_CHARS, f"right border missing: {l!r}"
    widths = {display_width(l) for l in table_lines}
    assert len(widths) == 1, f"ragged table: {sorted(widths)}"
    # what does not fit wraps onto continuation lines (docs/output.md, "Width
    # policy"): the flow's 65-character name is there whole
    if name.startswith("flow"):
        assert flat(wide_flows[0]["name"]) in flat(out), out


def test_columns_40_flow_create_panel(run, scratch):
    name = scratch.track(unique("created-at-forty-columns-with-a-long-name"))
    rc, out, err = run("prefect", "flow", "create", "--name", name, env={"COLUMNS": "40"})
    assert (rc, err) == (0, "")
    lines = out.splitlines()
    assert all(display_width(l) <= 40 for l in lines), out
    assert all(l[0] in BOX_CHARS and l[-1] in BOX_CHARS for l in lines), out
    assert "…" not in out and flat(name) in flat(out), out  # wrapped, not cut


def test_wide_columns_do_not_cut(run, wide_flows):
    a, b = wide_flows
    rc, out, err = run("prefect", "flow", "list", "--limit", "2", env={"COLUMNS": "250"})
    assert rc == 0 and quiet(err), err
    assert a["name"] in out and b["name"] in out
    assert "10.20.30-beta.4+build.567" in out


# --- -o json purity -------------------------------------------------------------------

JSON_COMMANDS = {
    "flow list": lambda f: ["prefect", "flow", "list", "-o", "json"],
    "flow list --deployed": lambda f: ["prefect", "flow", "list", "--deployed", "-o", "json"],
    "flow get": lambda f: ["prefect", "flow", "get", f["id"][:8], "-o", "json"],
    "flow create": lambda f: ["prefect", "flow", "create", "--name", f["name"] + "-new",
                              "-o", "json"],
    "flow delete": lambda f: ["prefect", "flow", "delete", f["id"], "--yes", "-o", "json"],
    "dashboard": lambda f: ["prefect", "dashboard", "--output", "json"],
    "config show": lambda f: ["config", "show", "-o", "json"],
    "config show --sources": lambda f: ["config", "show", "--sources", "-o", "json"],
    "global -o before the command": lambda f: ["-o", "json", "prefect", "flow", "get",
                                               f["name"]],
    "with -v trace": lambda f: ["-v", "prefect", "flow", "list", "--limit", "3",
                                "-o", "json"],
}


@pytest.mark.parametrize("name", list(JSON_COMMANDS))
def test_json_output_is_one_document(run, scratch, name):
    flow = scratch.flow(unique("js"), tags=["j"], runs=["COMPLETED"], deployment="1")
    scratch.track(flow["name"] + "-new")
    rc, out, err = run(*JSON_COMMANDS[name](flow), env={"COLUMNS": "30"})
    assert rc == 0, err
    if name == "with -v trace":
        assert "> POST " in err
    else:
        assert err == ""
    doc = json.loads(out)  # raises on anything but exactly one JSON document
    assert isinstance(doc, (dict, list))
    assert "\x1b" not in out


# --- control characters from the server ------------------------------------------------

EVIL_NAME = "evil\x1b[31mred\x07bell\ttab\nnl\x9b2Jcsi\x7fdel\x1b]0;pwned\x07end"


@pytest.fixture
def evil_flow(rest, scratch):
    flow = scratch.flow(unique(EVIL_NAME), tags=["tag\x1b[1mbold"],
                        labels={"description": "desc\x1b]8;;http://x\x07link\r\x1b[2K"},
                        runs=["FAILED"])
    rest.create_deployment(flow["id"], "evil-dep", "v\x1b[5m1")
    return flow


@pytest.mark.parametrize("cmd", ["list", "get", "get json", "delete"])
def test_control_characters_are_neutralised(run, evil_flow, cmd):
    args = {"list": ["prefect", "flow", "list", "--limit", "1"],
            "get": ["prefect", "flow", "get", evil_flow["id"]],
            "get json": ["prefect", "flow", "get", evil_flow["id"], "-o", "json"],
            "delete": ["prefect", "flow", "delete", evil_flow["id"], "--yes"]}[cmd]
    rc, out, err = run(*args, env={"COLUMNS": "250"})
    assert rc == 0 and quiet(err), err
    if cmd == "get json":
        doc = json.loads(out)
        assert doc["name"] == evil_flow["name"]  # JSON keeps the data, escaped
        assert doc["tags"] == ["tag\x1b[1mbold"]
        assert doc["version"] == "v\x1b[5m1"
        assert [c for c in control_chars(out) if ord(c) < 0x20] == [], repr(out)
        return
    assert control_chars(out) == [], repr(out)
    assert "evil" in out and "red" in out
    for line in out.splitlines():
        if line[:1] in BOX_CHARS:
            assert line[-1] in BOX_CHARS, f"a control character broke the row: {line!r}"


def test_json_escapes_c1_controls_and_del(run, evil_flow):
    """JSON may carry U+0080..U+009F and DEL raw, but a terminal acts on
    U+009B (CSI) like ESC [; the contract wants them neutralised in all
    output, and JSON can do it losslessly as \\u009b / \\u007f."""
    rc, out, err = run("prefect", "flow", "get", evil_flow["id"], "-o", "json")
    assert (rc, err) == (0, "")
    assert json.loads(out)["name"] == evil_flow["name"]
    assert control_chars(out) == [], repr([c for c in control_chars(out)])


def test_control_characters_in_arguments_are_neutralised_in_errors(run):
    ref = "no\x1b[31msuch\x07flow"
    rc, out, err = run("prefect", "flow", "get", ref)
    assert rc == 1
    assert out == ""
    assert control_chars(err) == [], repr(err)
    check_error(err)


# --- write errors --------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["prefect", "flow", "list"],
    ["prefect", "flow", "list", "-o", "json"],
    ["prefect", "dashboard"],
    ["config", "show"],
    ["--version"],
    ["--help"],
], ids=" ".join)
def test_stdout_to_dev_full_is_a_write_error(run, args):
    with open("/dev/full", "w") as full:
        rc, _, err = run(*args, stdout=full)
    assert rc == 1
    assert "write error" in err
    check_error(err)
