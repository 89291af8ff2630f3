"""prefect visualize against a real server and a real process worker.

The diamond flow (tests/fixtures/flows/viz_diamond.py: extract feeds
transform-rows and validate, both feed load, notify waits for load through
wait_for=) is deployed to a worker started through the program, drawn as a
static graph before it has run, then run twice (completed, then failed) and
drawn from the server's run graph. Every Mermaid output is parsed by the real
Mermaid parser (the npm package pinned in third_party/npm, run by node with
jsdom), and every DOT output is rendered by Graphviz's dot -Tsvg, whose SVG is
read back: the nodes, labels, edges and colours must be exactly the
diamond's. A flow with hostile task names checks the escaping end to end.
"""

import fcntl
import html
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import REPO, Runner
from mv_helpers import check_error, control_chars, parse_panel, strip_ansi, unique

FLOWS = REPO / "tests" / "fixtures" / "flows"
NPM = REPO / "third_party" / "npm"
PREFECT = Path(sys.executable).with_name("prefect")
SVG = "{http://www.w3.org/2000/svg}"

# Reads Mermaid text on stdin and prints what the parser made of it as JSON.
MERMAID_JS = r"""
import { JSDOM } from 'jsdom';
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
let text = '';
for await (const chunk of process.stdin) text += chunk;
try {
  await mermaid.parse(text);
} catch (e) {
  console.log(JSON.stringify({ error: String(e && e.message ? e.message : e) }));
  process.exit(0);
}
const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
const db = diagram.db;
console.log(JSON.stringify({
  type: diagram.type,
  vertices: [...db.getVertices().values()].map(
    (v) => ({ id: v.id, text: v.text, type: v.type, classes: v.classes })),
  edges: db.getEdges().map((e) => ({ start: e.start, end: e.end, stroke: e.stroke })),
  classes: Object.fromEntries([...db.getClasses().entries()].map(([k, c]) => [k, c.styles])),
}));
"""

# Mermaid keeps "#name;" and "#35;" entities encoded in its model like this.
MERMAID_ENTITY = re.compile("\ufb02\u00b0\u00b0(\\d+)\u00b6\u00df|\ufb02\u00b0(\\w+)\u00b6\u00df")

DIAMOND_LABELS = {"extract": "extract", "transform_rows": "transform-rows",
                  "validate": "validate", "load": "load", "notify": "notify"}
DIAMOND_EDGES = {("Start", "extract", "data"), ("extract", "transform_rows", "data"),
                 ("extract", "validate", "data"), ("transform_rows", "load", "data"),
                 ("validate", "load", "data"), ("load", "notify", "wait_for"),
                 ("notify", "End", "data")}
ALL_COMPLETED = {node: "completed" for node in DIAMOND_LABELS}
LOAD_FAILED = dict(ALL_COMPLETED, load="failed", notify="pending")
FILLS = {"completed": "#d4edda", "failed": "#f8d7da", "pending": "#fff3cd", None: "#ffffff"}

HOSTILE_LABELS = {
    "say_hi_x_y_z_b_1_b_q_p": 'say "hi" [x] {y} (z) <b>#1</b> & `q` \\ |p|',
    "t_end": "end",
    "line_break_31mred_0m": "line break ?[31mred?[0m",
}
HOSTILE_EDGES = {("Start", "say_hi_x_y_z_b_1_b_q_p", "data"),
                 ("say_hi_x_y_z_b_1_b_q_p", "t_end", "data"),
                 ("t_end", "line_break_31mred_0m", "data"),
                 ("line_break_31mred_0m", "End", "data")}


# --- parsing what visualize prints -------------------------------------------

def mermaid_model(text):
    """The real Mermaid parser's view of text: {labels, edges, states, shapes}."""
    proc = subprocess.run(["node", "--input-type=module", "-e", MERMAID_JS], cwd=NPM,
                          input=text.encode(), capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    doc = json.loads(proc.stdout)
    assert "error" not in doc, f"Mermaid rejected the graph: {doc['error']}\n{text}"
    assert doc["type"] == "flowchart-v2"

    def decode(s):
        return html.unescape(MERMAID_ENTITY.sub(
            lambda m: f"&#{m.group(1)};" if m.group(1) else f"&{m.group(2)};", s))

    vertices = {v["id"]: v for v in doc["vertices"]}
    assert vertices["Start"]["text"] == "Start" and vertices["Start"]["type"] == "stadium"
    assert vertices["End"]["text"] == "End" and vertices["End"]["type"] == "stadium"
    tasks = {k: v for k, v in vertices.items() if k not in ("Start", "End")}
    strokes = {"normal": "data", "dotted": "wait_for"}
    states = {}
    for k, v in tasks.items():
        assert len(v["classes"]) <= 1, v
        states[k] = v["classes"][0] if v["classes"] else None
        if states[k]:
            assert f"fill:{FILLS[states[k]]}" in doc["classes"][states[k]]
    return SimpleNamespace(
        labels={k: decode(v["text"]) for k, v in tasks.items()},
        edges={(e["start"], e["end"], strokes[e["stroke"]]) for e in doc["edges"]},
        states=states,
        shapes={k: v["type"] for k, v in tasks.items()})


def dot_model(text):
    """Graphviz's view of DOT text (rendered to SVG and read back), plus which
    edges the DOT text draws dashed: {labels, edges, fills}."""
    proc = subprocess.run(["dot", "-Tsvg"], input=text.encode(), capture_output=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    return svg_model(proc.stdout, text)


def svg_model(svg_bytes, dot_text):
    root = ET.fromstring(svg_bytes)
    labels, fills, edges = {}, {}, set()
    dashed = set(re.findall(r"^    (\w+) -> (\w+) \[style=dashed\];$", dot_text, re.M))
    for g in root.iter(SVG + "g"):
        title = g.find(SVG + "title")
        if g.get("class") == "node":
            labels[title.text] = "".join(t.text or "" for t in g.iter(SVG + "text"))
            shape = next(e for e in g if e.tag in (SVG + "path", SVG + "polygon",
                                                   SVG + "ellipse"))
            fills[title.text] = shape.get("fill")
        elif g.get("class") == "edge":
            a, b = title.text.split("->")
            edges.add((a, b, "wait_for" if (a, b) in dashed else "data"))
    assert labels.pop("Start") == "Start" and labels.pop("End") == "End"
    fills.pop("Start")
    fills.pop("End")
    return SimpleNamespace(labels=labels, edges=edges, fills=fills)


def first_line(text):
    return text.split("\n", 1)[0]


def run_on_tty(runner, *args, columns=200):
    """Run the binary with stdout on a pseudo-terminal -> (rc, out, err)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 60, columns, 0, 0))
    env = runner.environ({"NO_COLOR": "1", "COLUMNS": str(columns)})
    proc = subprocess.Popen([runner.bin, *args], stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=subprocess.PIPE, env=env, cwd=runner.cwd)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    return proc.returncode, b"".join(chunks).decode().replace("\r\n", "\n"), err


# --- a deployed diamond, drawn before it runs, then run twice ------------------

def copy_flow(src, dst_dir, old_name, new_name):
    text = (FLOWS / src).read_text()
    assert f'name="{old_name}"' in text
    path = dst_dir / src
    path.write_text(text.replace(f'name="{old_name}"', f'name="{new_name}"'))
    return path


def run_busy(runner, *args, timeout=120):
    """Run a command again when the SQLite server answered 503 (busy): its
    transaction was rolled back, so nothing was done and repeating is safe."""
    for _ in range(3):
        rc, out, err = runner(*args, timeout=timeout)
        if "(HTTP 503)" not in err:
            break
        time.sleep(1)
    return rc, out, err


def execute(runner, flow, *params, expect_rc=0):
    args = ["-o", "json", "prefect", "flow", "execute", flow, "--wait", "--timeout", "240"]
    for p in params:
        args += ["--param", p]
    rc, out, err = run_busy(runner, *args, timeout=300)
    assert rc == expect_rc, err
    return json.loads(out)


def wait_for_graph(rest, run_id, expected):
    """Task runs reach the server through events, a little after the run ends:
    wait until the graph has exactly the expected task states."""
    deadline = time.monotonic() + 90
    while True:
        graph = rest.call("GET", f"/flow_runs/{run_id}/graph-v2")
        states = sorted((n["label"].rsplit("-", 1)[0], n["state_type"])
                        for _, n in graph["nodes"])
        if states == sorted(expected):
            return
        assert time.monotonic() < deadline, f"graph of {run_id} stayed {states}"
        time.sleep(0.5)


@pytest.fixture(scope="module")
def viz(prefect_server, rest, tmp_path_factory):
    base = tmp_path_factory.mktemp("visualize")
    runner = Runner(prefect_server.api_url, base / "run")
    worker_env = {"XDG_STATE_HOME": base / "state", "PREFECT_WORKER_QUERY_SECONDS": "1",
                  "MAHAVISHNU_PREFECT_COMMAND": PREFECT, "MAHAVISHNU_PYTHON": sys.executable}
    code = base / "code"
    code.mkdir()
    ns = SimpleNamespace(runner=runner, pool=unique("viz-pool"), code=code,
                         diamond=unique("viz-diamond"), hostile=unique("viz-hostile"))
    ns.diamond_file = copy_flow("viz_diamond.py", code, "viz-diamond", ns.diamond)
    ns.hostile_file = copy_flow("viz_hostile.py", code, "viz-hostile", ns.hostile)
    rc, _, err = runner("prefect", "worker", "start", "--pool", ns.pool, "--create-pool",
                        env=worker_env, timeout=180)
    assert rc == 0, err
    try:
        for flow, path, func in ((ns.diamond, ns.diamond_file, "viz_diamond"),
                                 (ns.hostile, ns.hostile_file, "viz_hostile")):
            rc, _, err = run_busy(runner, "prefect", "deploy", flow, "--name", "viz",
                                  "--work-pool", ns.pool, "--entrypoint", f"{path}:{func}")
            assert rc == 0, err
        ns.static_mermaid = runner("prefect", "visualize", ns.diamond)
        ns.static_dot = runner("prefect", "visualize", ns.diamond, "--format", "dot")
        ns.ok_run = execute(runner, ns.diamond)
        wait_for_graph(rest, ns.ok_run["id"], [(t, "COMPLETED") for t in DIAMOND_LABELS.values()])
        ns.failed_run = execute(runner, ns.diamond, "fail=true", expect_rc=1)
        wait_for_graph(rest, ns.failed_run["id"],
                       [("extract", "COMPLETED"), ("transform-rows", "COMPLETED"),
                        ("validate", "COMPLETED"), ("load", "FAILED"), ("notify", "PENDING")])
        ns.hostile_run = execute(runner, ns.hostile)
        wait_for_graph(rest, ns.hostile_run["id"],
                       [(label, "COMPLETED") for label in (
                           'say "hi" [x] {y} (z) <b>#1</b> & `q` \\ |p|', "end",
                           "line\nbreak \x1b[31mred\x1b[0m")])
        yield ns
    finally:
        runner("prefect", "worker", "stop", "--pool", ns.pool, env=worker_env, timeout=60)
        for name in (ns.diamond, ns.hostile):
            flow = rest.flow_by_name(name)
            if flow:
                rest.delete_flow(flow["id"])
        rest.raw("DELETE", f"/work_pools/{ns.pool}")


# --- graphs of real runs ----------------------------------------------------------

def test_static_graph_from_the_deployment_before_any_run(viz):
    for rc, out, err in (viz.static_mermaid, viz.static_dot):
        assert (rc, err) == (0, "")
        assert first_line(out).endswith(
            f"Flow {viz.diamond}: static graph from {viz.diamond_file}:viz_diamond "
            "(the flow has no runs yet)")
    m = mermaid_model(viz.static_mermaid[1])
    assert m.labels == DIAMOND_LABELS
    assert m.edges == DIAMOND_EDGES
    assert set(m.states.values()) == {None}
    d = dot_model(viz.static_dot[1])
    assert d.labels == DIAMOND_LABELS
    assert d.edges == DIAMOND_EDGES
    assert set(d.fills.values()) == {FILLS[None]}


def test_latest_run_in_mermaid_is_exactly_the_diamond(viz):
    rc, out, err = viz.runner("prefect", "visualize", viz.diamond)
    assert (rc, err) == (0, "")
    assert first_line(out) == f"%% Flow {viz.diamond}: run {viz.failed_run['name']} (Failed)"
    m = mermaid_model(out)
    assert m.labels == DIAMOND_LABELS
    assert m.edges == DIAMOND_EDGES
    assert m.states == LOAD_FAILED
    assert set(m.shapes.values()) == {"square"}


def test_latest_run_in_dot_is_accepted_by_graphviz(viz):
    rc, out, err = viz.runner("prefect", "visualize", viz.diamond, "-f", "dot")
    assert (rc, err) == (0, "")
    assert first_line(out) == f"// Flow {viz.diamond}: run {viz.failed_run['name']} (Failed)"
    d = dot_model(out)
    assert d.labels == DIAMOND_LABELS
    assert d.edges == DIAMOND_EDGES
    assert d.fills == {node: FILLS[state] for node, state in LOAD_FAILED.items()}


@pytest.mark.parametrize("ref", ["name", "id", "prefix"])
def test_run_option_draws_an_older_run(viz, ref):
    run = viz.ok_run
    value = {"name": run["name"], "id": run["id"], "prefix": run["id"][:13]}[ref]
    rc, out, err = viz.runner("prefect", "visualize", viz.diamond, "--run", value)
    assert (rc, err) == (0, "")
    assert first_line(out) == f"%% Flow {viz.diamond}: run {run['name']} (Completed)"
    m = mermaid_model(out)
    assert (m.labels, m.edges, m.states) == (DIAMOND_LABELS, DIAMOND_EDGES, ALL_COMPLETED)


def test_run_of_another_flow_is_refused(viz):
    rc, out, err = viz.runner("prefect", "visualize", viz.diamond,
                              "--run", viz.hostile_run["id"])
    assert (rc, out) == (1, "")
    check_error(err, hint=False, contains=("is not a run of flow", viz.diamond))


def test_unknown_run_is_an_error(viz):
    rc, out, err = viz.runner("prefect", "visualize", viz.diamond, "--run", unique("no-run"))
    assert (rc, out) == (1, "")
    check_error(err)


def test_hostile_task_names_are_escaped_in_both_formats(viz):
    rc, mermaid, err = viz.runner("prefect", "visualize", viz.hostile)
    assert (rc, err) == (0, "")
    rc, dot, err = viz.runner("prefect", "visualize", viz.hostile, "--format", "dot")
    assert (rc, err) == (0, "")
    for text in (mermaid, dot):
        assert control_chars(text) == []
    m = mermaid_model(mermaid)
    assert m.labels == HOSTILE_LABELS
    assert m.edges == HOSTILE_EDGES
    d = dot_model(dot)
    assert d.labels == HOSTILE_LABELS
    assert d.edges == HOSTILE_EDGES


def test_panel_on_a_terminal_holds_the_graph_in_a_fence(viz):
    rc, out, err = run_on_tty(viz.runner, "prefect", "visualize", viz.diamond)
    assert (rc, err) == (0, "")
    title, fields = parse_panel(out)
    assert title == f"Flow Visualization: {viz.diamond}"
    assert fields["Source"] == f"run {viz.failed_run['name']} (Failed)"
    rows = [line[2:-2].rstrip() for line in strip_ansi(out).splitlines()
            if line.startswith("│ ")]
    start, end = rows.index("```mermaid"), rows.index("```")
    m = mermaid_model("\n".join(rows[start + 1:end]) + "\n")
    assert (m.labels, m.edges, m.states) == (DIAMOND_LABELS, DIAMOND_EDGES, LOAD_FAILED)


@pytest.mark.parametrize("fmt", ["mermaid", "dot", "svg", "png"])
def test_output_file_gets_the_graph_and_the_panel_says_where(viz, tmp_path, fmt):
    path = tmp_path / f"graph.{fmt}"
    rc, out, err = viz.runner("prefect", "visualize", viz.diamond, "--run", viz.ok_run["name"],
                              "-f", fmt, "-o", path, env={"COLUMNS": "300"})
    assert (rc, err) == (0, "")
    title, fields = parse_panel(out)
    assert title == "✓ Flow Visualization Saved"
    assert fields["File"] == str(path)
    assert fields["Format"] == fmt
    assert fields["Graph"] == "5 tasks, 5 dependencies"
    assert fields["Source"] == f"run {viz.ok_run['name']} (Completed)"
    data = path.read_bytes()
    if fmt == "png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        return
    if fmt == "svg":
        model = svg_model(data, "")
        assert model.labels == DIAMOND_LABELS
        assert {(a, b) for a, b, _ in model.edges} == {(a, b) for a, b, _ in DIAMOND_EDGES}
        return
    model = mermaid_model(data.decode()) if fmt == "mermaid" else dot_model(data.decode())
    assert (model.labels, model.edges) == (DIAMOND_LABELS, DIAMOND_EDGES)


def test_svg_goes_to_stdout(viz):
    rc, out, err = viz.runner("prefect", "visualize", viz.diamond, "-f", "svg")
    assert (rc, err) == (0, "")
    model = svg_model(out.encode(), "")
    assert model.labels == DIAMOND_LABELS
    assert model.fills == {node: FILLS[state] for node, state in LOAD_FAILED.items()}


def test_svg_without_graphviz_says_how_to_get_it(viz):
    rc, out, err = viz.runner("prefect", "visualize", viz.diamond, "-f", "svg",
                              env={"PATH": "/nonexistent"})
    assert (rc, out) == (1, "")
    line = check_error(err, hint=True, contains=("Graphviz is not installed",))
    assert "'dot'" in line
    assert "apt-get install graphviz" in err


# --- static graphs and errors (no worker needed) ---------------------------------

def test_static_graph_of_a_flow_only_this_machine_knows(run, tmp_path):
    name = unique("viz-local")
    path = copy_flow("diamond.py", tmp_path, "diamond-etl", name)
    rc, _, err = run("prefect", "flow", "validate", path)
    assert rc == 0, err
    rc, out, err = run("prefect", "visualize", name)
    assert (rc, err) == (0, "")
    assert first_line(out) == (f"%% Flow {name}: static graph from {path}:diamond "
                               "(the flow is not on the server yet)")
    m = mermaid_model(out)
    assert m.labels == DIAMOND_LABELS
    assert m.edges == DIAMOND_EDGES
    rc, out, err = run("prefect", "visualize", name, "-f", "dot")
    assert (rc, err) == (0, "")
    d = dot_model(out)
    assert (d.labels, d.edges) == (DIAMOND_LABELS, DIAMOND_EDGES)


def test_static_graph_of_a_flow_without_runs(run, scratch, tmp_path):
    flow = scratch.flow(unique("viz-norun"))
    path = copy_flow("diamond.py", tmp_path, "diamond-etl", flow["name"])
    rc, _, err = run("prefect", "flow", "validate", path)
    assert rc == 0, err
    rc, out, err = run_on_tty(run, "prefect", "visualize", flow["name"])
    assert (rc, err) == (0, "")
    title, fields = parse_panel(out)
    assert title == f"Flow Visualization: {flow['name']}"
    assert fields["Source"] == f"static graph from {path}:diamond (the flow has no runs yet)"


def test_code_with_errors_is_an_error(run, tmp_path):
    name = unique("viz-broken")
    path = copy_flow("diamond.py", tmp_path, "diamond-etl", name)
    rc, _, err = run("prefect", "flow", "validate", path)
    assert rc == 0, err
    path.write_text(path.read_text().replace("raw = extract(source)", "raw = extract(source"))
    rc, out, err = run("prefect", "visualize", name)
    assert (rc, out) == (1, "")
    line = check_error(err, hint=True, contains=(f"{path}:",))
    assert "never closed" in line
    assert "flow validate" in err


def test_flow_without_runs_or_code_is_an_error(run, scratch):
    flow = scratch.flow(unique("viz-nocode"))
    rc, out, err = run("prefect", "visualize", flow["name"])
    assert (rc, out) == (1, "")
    check_error(err, hint=True, contains=("has no runs yet, and its code is not known",))


def test_unknown_flow_is_an_error(run):
    rc, out, err = run("prefect", "visualize", unique("no-such-flow"))
    assert (rc, out) == (1, "")
    check_error(err, contains=("no flow named",))


@pytest.mark.parametrize("args", [
    ["--format", "gif"],
    ["-f", "png"],
    ["--output"],
])
def test_bad_options_are_usage_errors(run, args):
    rc, out, err = run("prefect", "visualize", "some-flow", *args)
    assert (rc, out) == (2, "")
    check_error(err)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "yaml", "table"])
def test_global_json_output_is_not_taken_for_a_file(run, fmt):
    rc, out, err = run("-o", fmt, "prefect", "visualize", "some-flow")
    assert (rc, out) == (2, "")
    check_error(err, hint=True, contains=("no JSON output",))
    assert not (run.cwd / fmt).exists()
    assert not (run.cwd / "json").exists()
