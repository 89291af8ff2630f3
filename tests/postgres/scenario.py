"""The concurrency scenario of scripts/test-postgres, on one database.

A Prefect server started by `mahavishnu prefect server start` (on the
database in $SCENARIO_DATABASE, else its default SQLite), two process workers
on two pools (`worker start --create-pool`), then at the same time:
  - a backfill of --runs runs into 2031 and later (no scheduler or Late noise),
  - --executions runs of a tiny flow created on the two pools and run by the
    workers (`flow execute -d`),
  - two readers listing flow runs, deployments and work pools in a loop,
every mahavishnu command with -v, so that each HTTP answer is in its trace.
Then, through the REST API: the backfill's runs (exactly --runs, no name or
expected start twice), the executed runs (each Completed, run once).
Prints one JSON report (and writes it to --report); exit 1 when a check fails.

  --table REPORT.json ...   prints the Markdown comparison of reports instead.
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
STATUS_LINE = re.compile(r"^< HTTP/1\.[01] (\d{3})", re.M)
FLOW = "mv-scale-tiny"
FLOW_CODE = f'''from prefect import flow


@flow(name="{FLOW}")
def tiny(n: int = 0):
    return n
'''


class Scenario:
    def __init__(self, args):
        self.args = args
        self.state = Path(args.state).resolve()
        self.database = os.environ.get("SCENARIO_DATABASE") or None
        self.secret = None
        if self.database and "@" in self.database:
            userinfo = self.database.split("://", 1)[1].rsplit("@", 1)[0]
            self.secret = userinfo.split(":", 1)[1] if ":" in userinfo else None
        self.port = free_port()
        self.api = f"http://127.0.0.1:{self.port}/api"
        self.lock = threading.Lock()
        self.statuses = {}          # HTTP status -> count, over every traced command
        self.commands = 0
        self.failed_commands = []   # (argv, rc, stderr tail)
        self.leaks = []             # commands whose output held the password
        self.flows = self.state / "flows"
        self.flows.mkdir(parents=True, exist_ok=True)
        (self.flows / "tiny.py").write_text(FLOW_CODE)
        home = self.state / "home"
        home.mkdir(exist_ok=True)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "XDG_STATE_HOME": str(self.state),
            "XDG_CONFIG_HOME": str(self.state / "config"),
            "XDG_DATA_HOME": str(self.state / "data"),
            "MAHAVISHNU_PREFECT_COMMAND": str(VENV_BIN / "prefect"),
            "MAHAVISHNU_PYTHON": sys.executable,
            "PREFECT_API_URL": self.api,
            "NO_COLOR": "1",
            # workers poll every second and take runs up to 5 s ahead
            "PREFECT_WORKER_QUERY_SECONDS": "1",
            "PREFECT_WORKER_PREFETCH_SECONDS": "5",
        }

    # --- running mahavishnu -------------------------------------------------
    def mv(self, *argv, timeout=120, check=True, trace=True):
        cmd = [self.args.bin] + (["-v"] if trace else []) + [str(a) for a in argv]
        try:
            p = subprocess.run(cmd, env=self.env, cwd=self.flows, capture_output=True,
                               text=True, timeout=timeout, stdin=subprocess.DEVNULL)
            rc, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as exc:
            rc, out, err = "timeout", exc.stdout or "", exc.stderr or ""
            out = out.decode(errors="replace") if isinstance(out, bytes) else out
            err = err.decode(errors="replace") if isinstance(err, bytes) else err
        with self.lock:
            self.commands += 1
            for code in STATUS_LINE.findall(err):
                self.statuses[code] = self.statuses.get(code, 0) + 1
            if self.secret and (self.secret in out or self.secret in err):
                self.leaks.append(" ".join(map(str, argv[:3])))
            if rc != 0:
                self.failed_commands.append((" ".join(map(str, argv)), rc, err[-600:]))
        if check and rc != 0:
            raise SystemExit(f"scenario: `mahavishnu {' '.join(map(str, argv))}` exited {rc}:\n"
                             f"{err[-2000:]}")
        return rc, out, err

    def rest(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.api + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read() or "null")

    def runs_of(self, deployment_id):
        """Every flow run of a deployment, paged."""
        out, offset = [], 0
        while True:
            page = self.rest("POST", "/flow_runs/filter", {
                "flow_runs": {}, "deployments": {"id": {"any_": [deployment_id]}},
                "sort": "EXPECTED_START_TIME_ASC", "limit": 200, "offset": offset})
            out += page
            if len(page) < 200:
                return out
            offset += 200

    # --- the scenario ---------------------------------------------------------
    def setup(self):
        start = ["prefect", "server", "start", "--port", self.port, "--wait", "240"]
        if self.database:
            start += ["--database", self.database]
        _, out, _ = self.mv(*start, "-o", "json", timeout=300, trace=False)
        self.server = json.loads(out)
        _, out, _ = self.mv("prefect", "server", "status", "-o", "json", trace=False)
        self.server["status_database"] = json.loads(out).get("database")
        for pool in ("scale-a", "scale-b"):
            self.mv("prefect", "worker", "start", "--pool", pool, "--create-pool", timeout=200,
                    trace=False)
        self.deployments = {}
        for name, pool in (("a", "scale-a"), ("b", "scale-b"), ("bf", "scale-a")):
            _, out, _ = self.mv("prefect", "deploy", FLOW, "--name", name, "--work-pool", pool,
                                "--entrypoint", "tiny.py:tiny", "--path", self.flows,
                                "-o", "json", trace=False)
            self.deployments[name] = json.loads(out)["id"]

    def backfill(self):
        self.backfill_created_ids = None    # None: the backfill gave no report
        t0 = time.monotonic()
        # one run a day at 00:00 UTC (the deployment has no schedule), from 2031 on
        rc, out, err = self.mv("prefect", "backfill", f"{FLOW}/bf", "--start", "2031-01-01",
                               "--end", "2039-12-31", "--max-runs", self.args.runs,
                               "-o", "json", timeout=self.args.phase_timeout, check=False)
        self.backfill_seconds = time.monotonic() - t0
        self.backfill_rc = rc
        try:
            doc = json.loads(out)
            self.backfill_report = {k: doc.get(k) for k in ("planned", "created", "existed")}
            self.backfill_created_ids = [r["id"] for r in doc.get("runs", [])
                                         if r.get("status") == "created"]
        except ValueError:
            self.backfill_report = {"error": err[-500:]}

    def execute(self):
        self.executed = []
        for i in range(self.args.executions):
            d = "a" if i % 2 == 0 else "b"
            rc, out, _ = self.mv("prefect", "flow", "execute", FLOW, "-d", d, "-p", f"n={i}",
                                 "-o", "json", check=False)
            if rc == 0:
                self.executed.append(json.loads(out)["id"])

    def read_loop(self, stop, which):
        lists = [("prefect", "flow-runs", "list", "--limit", "200", "-o", "json"),
                 ("prefect", "deployments", "list", "-o", "json"),
                 ("prefect", "work-pools", "list", "-o", "json")]
        i = which
        while not stop.is_set():
            self.mv(*lists[i % len(lists)], check=False)
            with self.lock:
                self.reads += 1
            i += 1

    def run(self):
        self.setup()
        self.reads = 0
        stop = threading.Event()
        readers = [threading.Thread(target=self.read_loop, args=(stop, k)) for k in (0, 1)]
        t0 = time.monotonic()
        for r in readers:
            r.start()
        bf = threading.Thread(target=self.backfill)
        ex = threading.Thread(target=self.execute)
        bf.start()
        ex.start()
        bf.join()
        ex.join()
        finals = self.wait_final(time.monotonic() + self.args.phase_timeout)
        stop.set()
        for r in readers:
            r.join()
        self.phase_seconds = time.monotonic() - t0
        return self.check(finals)

    def wait_final(self, deadline):
        while True:
            runs = [self.rest("GET", f"/flow_runs/{rid}") for rid in self.executed]
            final = [r for r in runs if r["state_type"] in
                     ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")]
            if len(final) == len(runs) or time.monotonic() > deadline:
                return runs
            time.sleep(2)

    def worker_503s(self):
        """503s the workers (Prefect's own client) gave up on: one exception line
        each, plus the retries Prefect's client logs."""
        n = 0
        for log in (self.state / "mahavishnu").glob("worker-*.log"):
            text = log.read_text(errors="replace")
            n += len(re.findall(r"^prefect\.exceptions\.PrefectHTTPStatusError: Server error '503",
                                text, re.M))
            n += len(re.findall(r"retryable status code 503", text))
        return n

    def check(self, executed_runs):
        bf_runs = self.runs_of(self.deployments["bf"])
        names = [r["name"] for r in bf_runs]
        starts = [r["expected_start_time"] for r in bf_runs]
        before_2031 = [s for s in starts if s < "2031"]
        ex_runs = self.runs_of(self.deployments["a"]) + self.runs_of(self.deployments["b"])
        completed = [r for r in executed_runs if r["state_type"] == "COMPLETED"]
        ran_twice = [r["id"] for r in executed_runs if (r.get("run_count") or 0) > 1]
        report = {
            "label": self.args.label,
            "database": self.server.get("database"),
            "status_database": self.server.get("status_database"),
            "prefect_version": self.server.get("version"),
            "backfill_planned": self.args.runs,
            "backfill_exit": self.backfill_rc,
            "backfill": self.backfill_report,
            "backfill_seconds": round(self.backfill_seconds, 1),
            "phase_seconds": round(self.phase_seconds, 1),
            "runs_on_server": len(bf_runs),
            # missing: planned but not on the server at the end (a backfill cut short by
            # the time limit leaves some: running it again creates them, by their keys);
            # lost: reported created by the backfill and yet not on the server
            "runs_missing": max(0, self.args.runs - len(set(starts))),
            "runs_lost": None if self.backfill_created_ids is None else
            len(set(self.backfill_created_ids) - {r["id"] for r in bf_runs}),
            "runs_doubled": (len(names) - len(set(names))) + (len(starts) - len(set(starts))),
            "runs_outside_range": len(before_2031),
            "executions_created": len(self.executed),
            "executions_on_server": len(ex_runs),
            "executions_completed": len(completed),
            "executions_crashed": sum(r["state_type"] == "CRASHED" for r in executed_runs),
            "executions_run_twice": len(ran_twice),
            "mahavishnu_commands": self.commands,
            "list_reads": self.reads,
            "failed_commands": len(self.failed_commands),
            "http_statuses": dict(sorted(self.statuses.items())),
            "http_503": self.statuses.get("503", 0),
            "worker_log_503": self.worker_503s(),
            "password_leaks": self.leaks,
        }
        problems = []
        if report["runs_on_server"] != self.args.runs or report["runs_missing"] or \
                report["runs_lost"] or \
                report["runs_doubled"] or report["runs_outside_range"]:
            problems.append("backfill runs lost, doubled or misplaced")
        if self.backfill_rc != 0:
            problems.append(f"backfill exited {self.backfill_rc}")
        if report["executions_created"] != self.args.executions or \
                report["executions_on_server"] != self.args.executions or \
                report["executions_completed"] != self.args.executions or ran_twice:
            problems.append("executed runs lost, doubled or not completed")
        if self.failed_commands:
            problems.append(f"{len(self.failed_commands)} commands failed")
        if self.args.no_503 and (report["http_503"] or report["worker_log_503"]):
            problems.append("503 answers")
        if self.leaks:
            problems.append("the database password appeared in output")
        report["problems"] = problems
        report["failed_command_samples"] = self.failed_commands[:5]
        return report

    def teardown(self):
        for pool in ("scale-a", "scale-b"):
            self.mv("prefect", "worker", "stop", "--pool", pool, check=False, trace=False,
                    timeout=60)
        self.mv("prefect", "server", "stop", check=False, trace=False, timeout=60)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def table(paths):
    reports = [json.loads(Path(p).read_text()) for p in paths if Path(p).exists()]
    if not reports:
        return
    rows = [("database", lambda r: r["label"]),
            ("HTTP 503 answers seen by mahavishnu (-v traces)", lambda r: r["http_503"]),
            ("HTTP 503 answers the two workers gave up on (their logs)", lambda r: r["worker_log_503"]),
            ("backfill wall time (s)", lambda r: r["backfill_seconds"]),
            ("whole phase wall time (s)", lambda r: r["phase_seconds"]),
            ("backfill runs created / on server", lambda r: f"{(r['backfill'] or {}).get('created')} / {r['runs_on_server']}"),
            ("backfill runs missing at the end / lost / doubled",
             lambda r: f"{r.get('runs_missing', '-')} / {r['runs_lost']} / {r['runs_doubled']}"),
            ("executed runs completed / created", lambda r: f"{r['executions_completed']} / {r['executions_created']}"),
            ("executed runs crashed", lambda r: r.get("executions_crashed", "-")),
            ("executed runs run twice", lambda r: r["executions_run_twice"]),
            ("list reads during the phase", lambda r: r["list_reads"]),
            ("mahavishnu commands that failed", lambda r: r["failed_commands"])]
    print("| | " + " | ".join(str(rows[0][1](r)) for r in reports) + " |")
    print("|---|" + "---|" * len(reports))
    for title, get in rows[1:]:
        print(f"| {title} | " + " | ".join(str(get(r)) for r in reports) + " |")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.environ.get("MAHAVISHNU_BIN",
                                                    str(REPO / "build" / "mahavishnu")))
    ap.add_argument("--state", help="a fresh directory for state, logs and the flow file")
    ap.add_argument("--label", default="sqlite")
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--executions", type=int, default=20)
    ap.add_argument("--phase-timeout", type=float, default=600)
    ap.add_argument("--report")
    ap.add_argument("--no-503", action="store_true",
                    help="a 503 answer anywhere (mahavishnu's traces, the workers' logs) fails")
    ap.add_argument("--comparison", action="store_true",
                    help="report problems but exit 0 (the SQLite comparison run)")
    ap.add_argument("--table", nargs="+", metavar="REPORT")
    args = ap.parse_args()
    if args.table:
        table(args.table)
        return 0
    if not args.state:
        ap.error("--state is required")
    s = Scenario(args)
    try:
        report = s.run()
    finally:
        s.teardown()
    text = json.dumps(report, indent=2)
    print(text)
    if args.report:
        Path(args.report).write_text(text + "\n")
    return 1 if report["problems"] and not args.comparison else 0


if __name__ == "__main__":
    sys.exit(main())
