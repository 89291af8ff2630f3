#!/usr/bin/env python3
"""Flow discovery and parameter schemas (src/pyflow) against Prefect itself.

Usage: schema_oracle.py MAHAVISHNU CORPUS_DIR

Each CORPUS_DIR/*.py is imported here, with Prefect, as `prefect deploy`
loads a flow: every module attribute that is a prefect Flow is a flow, with
its name and prefect.utilities.callables.parameter_schema(flow). The same
file goes through `MAHAVISHNU prefect flow validate FILE -o json` (static,
no Python), and the two must agree:
  - the same flows (entrypoint attribute and Prefect name; a name the
    static analysis reports as unknown counts as inexact, not as wrong);
  - for each parameter, the same schema entry, whether it is required, and
    the same definitions for the models and enums it refers to. A
    parameter listed under inexact_parameters may differ; one that differs
    without being listed is a failure ("silently different").
Prints the disagreements and one line of figures; exits 1 on any silent
difference or flow mismatch, or when fewer than 85% of the parameters are
exact statically.

Must run with the Python that has Prefect installed (the test virtualenv).
"""

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import warnings

warnings.simplefilter("ignore")

from prefect import Flow  # noqa: E402
from prefect.utilities.callables import parameter_schema  # noqa: E402

TARGET = 0.85


def prefect_flows(path, index):
    """{attribute: (name, schema)} for the Flow objects of the module."""
    sys.path.insert(0, os.path.dirname(path))
    try:
        spec = importlib.util.spec_from_file_location(f"corpus_{index}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.pop(0)
    flows = {}
    for attr, value in vars(module).items():
        if isinstance(value, Flow):
            flows[attr] = (value.name, parameter_schema(value).model_dump_for_openapi())
    return flows


def static_flows(binary, path, env):
    out = subprocess.run(
        [binary, "prefect", "flow", "validate", path, "-o", "json"],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )
    doc = json.loads(out.stdout)
    return {f["function"]: f for f in doc["flows"]}, doc


def refs(node, acc):
    """The definition names node refers to, directly."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            acc.add(ref.rsplit("/", 1)[1])
        for v in node.values():
            refs(v, acc)
    elif isinstance(node, list):
        for v in node:
            refs(v, acc)
    return acc


def closure(node, definitions):
    """The definitions node needs, transitively: {name: definition}."""
    seen, todo = {}, list(refs(node, set()))
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen[name] = definitions.get(name)
        todo.extend(refs(seen[name], set()))
    return seen


def entry(schema, param):
    prop = schema.get("properties", {}).get(param)
    return {
        "property": prop,
        "required": param in schema.get("required", []),
        "definitions": closure(prop, schema.get("definitions", {})),
    }


class Tally:
    def __init__(self):
        self.files = self.flows = self.params = self.exact = self.inexact = 0
        self.conditional = self.unknown_names = 0
        self.silent = []
        self.flow_errors = []

    def line(self):
        pct = 100.0 * self.exact / self.params if self.params else 100.0
        return (f"{self.files} files, {self.flows} flows, {self.params} parameters: "
                f"{self.exact} exact ({pct:.1f}%), {self.inexact} listed inexact, "
                f"{len(self.silent)} silently different, "
                f"{len(self.flow_errors)} flow mismatches; {self.unknown_names} flow names "
                f"reported unknown, {self.conditional} flows in branches not taken")


def compare_flow(t, fname, attr, want, got):
    name, schema = want
    if got.get("name_unknown"):
        t.unknown_names += 1  # reported as unknown: the import check settles it
    elif got["name"] != name:
        t.flow_errors.append(f"{fname}:{attr}: name {got['name']!r}, Prefect says {name!r}")
    static = got.get("parameter_openapi_schema") or {}
    inexact = set(got.get("inexact_parameters", []))
    if set(static.get("properties", {})) != set(schema.get("properties", {})):
        t.flow_errors.append(f"{fname}:{attr}: parameters {sorted(static.get('properties', {}))}"
                             f", Prefect says {sorted(schema.get('properties', {}))}")
    for key in ("title", "type"):
        if static.get(key) != schema.get(key):
            t.flow_errors.append(f"{fname}:{attr}: schema {key} differs")
    for param in schema.get("properties", {}):
        t.params += 1
        same = entry(static, param) == entry(schema, param)
        if param in inexact:
            t.inexact += 1
        elif same:
            t.exact += 1
        else:
            t.silent.append(f"{fname}:{attr}.{param}:\n    static:  "
                            f"{json.dumps(entry(static, param), sort_keys=True)}\n    prefect: "
                            f"{json.dumps(entry(schema, param), sort_keys=True)}")


def main():
    binary, corpus = sys.argv[1], sys.argv[2]
    files = sorted(os.path.join(corpus, f) for f in os.listdir(corpus) if f.endswith(".py"))
    t = Tally()
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, XDG_DATA_HOME=home, XDG_CONFIG_HOME=home, HOME=home,
                   NO_COLOR="1")
        for i, path in enumerate(files):
            fname = os.path.basename(path)
            t.files += 1
            want = prefect_flows(path, i)
            got, doc = static_flows(binary, path, env)
            for attr in sorted(set(want) | set(got)):
                if attr not in got:
                    t.flow_errors.append(f"{fname}: flow {attr} ({want[attr][0]}) not found")
                elif attr not in want and got[attr].get("conditional"):
                    t.conditional += 1  # a branch this import did not take
                elif attr not in want:
                    t.flow_errors.append(f"{fname}: {attr} is not a flow for Prefect")
                else:
                    t.flows += 1
                    compare_flow(t, fname, attr, want[attr], got[attr])
            if want and not doc["valid"]:
                t.flow_errors.append(f"{fname}: called invalid: {doc['errors']}")
    for line in t.flow_errors + t.silent:
        print(line)
    print(t.line())
    ok = not t.silent and not t.flow_errors and t.params and t.exact >= TARGET * t.params
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
