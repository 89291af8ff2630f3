"""The benchmark suite: mahavishnu beside Prefect's own CLI and beside the
server's own floor, on a server this script starts and seeds itself.

usage: bench/run [--smoke] [--out FILE]   (bench/run is the wrapper that finds
the binary and the project's Python)

Full mode seeds 200 flows, 200 deployments and 10,000 runs, takes the median
of 5 runs of every command, and rewrites docs/BENCHMARKS.md. --smoke (what CI
runs, so that the suite cannot rot) seeds 5 flows, 5 deployments and 300
runs, runs everything once, writes the report to a temporary file, and
checks only that every command succeeded: no figure is asserted.

What is measured:
  wall    median wall time of the whole command
  own     median user+system CPU time of the command's process: what the
          program itself costs, whatever the server takes
  rss     peak resident memory (GNU time %M)
  floor   the same page or bulk requests sent straight to the server from
          this process (keep-alive connections, the same concurrency),
          timing only the requests
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import http.client
import urllib.parse
from pathlib import Path

import seed as seeding

ROOT = Path(__file__).resolve().parent.parent
BIN = os.environ.get("MAHAVISHNU_BIN", str(ROOT / "build" / "mahavishnu"))
PREFECT = str(Path(sys.executable).parent / "prefect")


# --- a server of our own ---------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self):
        self.home = Path(tempfile.mkdtemp(prefix="mahavishnu-bench-"))
        self.port = free_port()
        self.api = f"http://127.0.0.1:{self.port}/api"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        env.update(PREFECT_HOME=str(self.home), PREFECT_SERVER_ANALYTICS_ENABLED="false",
                   PREFECT_SERVER_UI_ENABLED="false", PREFECT_SERVER_LOGGING_LEVEL="WARNING")
        self.log = open(self.home / "server.log", "wb")
        self.proc = subprocess.Popen([PREFECT, "server", "start", "--host", "127.0.0.1",
                                      "--port", str(self.port), "--no-ui"],
                                     env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if get_json(self.api, "/health") is True:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit("bench: the Prefect server did not start; see " + str(self.home))

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        shutil.rmtree(self.home, ignore_errors=True)


def connection(api):
    u = urllib.parse.urlsplit(api)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=120), u.path


def get_json(api, path):
    conn, prefix = connection(api)
    conn.request("GET", prefix + path)
    value = json.loads(conn.getresponse().read())
    conn.close()
    return value


def post(conn, prefix, path, body):
    """(status, JSON) of a POST; 503 (a busy SQLite, nothing done) and a kept connection
    the server closed are tried again, as Prefect's own client does."""
    status = None
    for attempt in range(30):
        try:
            conn.request("POST", prefix + path, json.dumps(body),
                         {"Content-Type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
            status = resp.status
        except (OSError, http.client.HTTPException):
            conn.close()  # the next request opens a new connection
            continue
        if status != 503:
            return status, json.loads(data) if data else None
        time.sleep(min(0.2 * 2 ** attempt, 5))
    return status, None


# --- measuring commands ------------------------------------------------------------

def run_once(args, env):
    """Wall seconds, own CPU seconds, exit code of one run."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def peak_rss(args, env):
    """Peak RSS in KB, from GNU time (a child forked from Python would count Python)."""
    with tempfile.NamedTemporaryFile() as f:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", f.name, *args], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        return int(Path(f.name).read_text().split()[-1])


class Bench:
    def __init__(self, api, reps):
        self.api = api
        self.reps = reps
        self.sections = []  # (title, [dicts: name, ours, theirs, floor, note])
        self.failures = []
        self.env = {"PATH": os.environ["PATH"], "HOME": tempfile.mkdtemp(),
                    "PREFECT_API_URL": api, "LANG": "C.UTF-8",
                    "PREFECT_HOME": tempfile.mkdtemp()}

    def measure(self, args, rss=True, fresh=None):
        """Median wall and own CPU of reps runs (fresh() before each, for commands that
        create things), and the peak RSS of one more."""
        walls, owns = [], []
        for _ in range(self.reps):
            run_args = fresh() if fresh else args
            wall, own, rc = run_once(run_args, self.env)
            if rc != 0:
                self.failures.append(" ".join(run_args))
            walls.append(wall)
            owns.append(own)
        result = {"wall": statistics.median(walls), "own": statistics.median(owns)}
        if rss:
            result["rss"] = peak_rss(fresh() if fresh else args, self.env)
        return result

    def section(self, title):
        self.sections.append((title, []))

    def row(self, name, ours, theirs=None, floor=None, note=""):
        self.sections[-1][1].append({"name": name, "ours": ours, "theirs": theirs,
                                     "floor": floor, "note": note})


# --- the server's floor --------------------------------------------------------------

def floor_list(api, rows, in_flight, body):
    """Seconds to fetch `rows` rows of /flow_runs/filter in 200-row pages, in_flight at a
    time, each worker on a keep-alive connection of its own."""
    pages = list(range(0, rows, 200))
    lock = threading.Lock()

    def worker():
        conn, prefix = connection(api)
        while True:
            with lock:
                if not pages:
                    break
                offset = pages.pop(0)
            post(conn, prefix, "/flow_runs/filter",
                 dict(body, offset=offset, limit=min(200, rows - offset)))
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(in_flight)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def floor_backfill(api, deployment_id, runs, in_flight, per_request=25):
    """Seconds to create `runs` runs in bulk requests of per_request, in_flight at a time."""
    chunks = [[{"name": f"floor-{k}", "idempotency_key": f"floor-{deployment_id}-{k}",
                "tags": ["backfill"], "parameters": {},
                "state": {"type": "SCHEDULED",
                          "state_details": {"scheduled_time": future_day(k)}}}
               for k in range(at, min(at + per_request, runs))]
              for at in range(0, runs, per_request)]
    lock = threading.Lock()

    def worker():
        conn, prefix = connection(api)
        while True:
            with lock:
                if not chunks:
                    break
                chunk = chunks.pop(0)
            while chunk:  # what a busy SQLite failed is sent again
                _, answer = post(conn, prefix,
                                 f"/deployments/{deployment_id}/create_flow_run/bulk", chunk)
                results = (answer or {}).get("results", [])
                chunk = [b for b, r in zip(chunk, results) if r.get("status") != "CREATED"]
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(in_flight)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def future_day(k):
    """Day k from 2031-01-01: backfills go to the future here, so that the server's
    late-run service (which marks past scheduled runs Late, and locks SQLite while it
    does) weighs on neither side."""
    day = datetime.date(2031, 1, 1) + datetime.timedelta(days=k)
    return f"{day.isoformat()}T00:00:00Z"


PREFECT_CLIENT_BACKFILL = '''
import asyncio, datetime, sys
from prefect.client.orchestration import get_client
from prefect.states import Scheduled

async def main(deployment_id, runs):
    sem = asyncio.Semaphore(2)
    async with get_client() as client:
        async def one(k):
            when = datetime.datetime(2031, 1, 1, tzinfo=datetime.timezone.utc) + \\
                datetime.timedelta(days=k)
            async with sem:
                await client.create_flow_run_from_deployment(
                    deployment_id, state=Scheduled(scheduled_time=when),
                    idempotency_key=f"client-{deployment_id}-{k}", tags=["backfill"])
        await asyncio.gather(*(one(k) for k in range(runs)))

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
'''


# --- the scenarios -------------------------------------------------------------------

def new_deployment(api, flow_id, label):
    conn, prefix = connection(api)
    _, dep = post(conn, prefix, "/deployments/",
                  {"name": f"{label}-{time.monotonic_ns()}", "flow_id": flow_id})
    conn.close()
    return dep["id"]


def some_run(api):
    conn, prefix = connection(api)
    _, some = post(conn, prefix, "/flow_runs/filter", {"limit": 1})
    conn.close()
    return some[0]["id"]


def reads(b, run_id):
    m, p = BIN, PREFECT
    b.row("`--help`", b.measure([m, "--help"]), b.measure([p, "--help"], rss=False))
    for ours, theirs in ((["prefect", "flow", "list"], ["flow", "ls"]),
                         (["prefect", "deployments", "list"], ["deployment", "ls"]),
                         (["prefect", "flow-runs", "list", "--limit", "200"],
                          ["flow-run", "ls", "--limit", "200"]),
                         (["prefect", "flow-runs", "get", run_id],
                          ["flow-run", "inspect", run_id])):
        b.row(f"`{' '.join(ours)}`".replace(run_id, "ID"), b.measure([m, *ours]),
              b.measure([p, *theirs], rss=False))


def long_list(b, rows):
    body = {"sort": "START_TIME_DESC"}
    floor = statistics.median(floor_list(b.api, rows, 4, body) for _ in range(b.reps))
    for fmt in ("json", "jsonl"):
        ours = b.measure([BIN, "prefect", "flow-runs", "list", "--limit", str(rows), "-o", fmt])
        b.row(f"`flow-runs list --limit {rows} -o {fmt}`", ours, floor={"wall": floor},
              note="floor: the same 200-row pages, 4 at a time")


def backfill(b, flow_id, runs):
    def fresh():
        dep = new_deployment(b.api, flow_id, "bench-backfill")
        return [BIN, "prefect", "backfill", dep, "--start", "2031-01-01", "--end",
                "2040-12-31", "--max-runs", str(runs), "-o", "json"]
    ours = b.measure(None, fresh=fresh)
    floor = statistics.median(
        floor_backfill(b.api, new_deployment(b.api, flow_id, "bench-floor"), runs, 2)
        for _ in range(b.reps))
    client, failed = [], 0
    for _ in range(b.reps):
        dep = new_deployment(b.api, flow_id, "bench-client")
        wall, _, rc = run_once([sys.executable, "-c", PREFECT_CLIENT_BACKFILL, dep, str(runs)],
                               b.env)
        if rc:  # Prefect's client gives up on a busy SQLite: its time is not a result
            failed += 1
        else:
            client.append(wall)
    note = ("theirs: a Python script with Prefect's client, 2 at a time"
            + (f" ({failed} of {b.reps} attempts failed on a busy server, not counted)"
               if failed else "")
            + "; floor: the same bulk requests of 25, 2 at a time")
    b.row(f"`backfill` of {runs} runs", ours,
          {"wall": statistics.median(client)} if client else None, {"wall": floor}, note)



# --- the report ----------------------------------------------------------------------

def ms(x):
    return "-" if x is None else f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"


def ratio(a, b):
    return "-" if not a or not b else f"{a / b:.2f}x"


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), platform.processor())
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu})"


def versions():
    ours = subprocess.run([BIN, "--version"], capture_output=True, text=True).stdout.strip()
    theirs = subprocess.run([PREFECT, "version"], capture_output=True, text=True).stdout
    prefect = next((l.split(":", 1)[1].strip() for l in theirs.splitlines()
                    if l.strip().startswith("Version")), "?")
    return ours, prefect


def report(b, small, seed, smoke):
    ours, prefect = versions()
    lines = [
        "# Benchmarks", "",
        "Every figure here comes from one command, which starts its own Prefect server on "
        "SQLite, seeds it and measures (5 runs of each command, the median; peak memory from "
        "GNU time):", "",
        "```sh", "./scripts/build && bench/run", "```", "",
        f"Measured {datetime.date.today().isoformat()} on {machine()}; {ours}, Prefect "
        f"{prefect}, Python {platform.python_version()}. The reads run twice: on a small "
        f"server ({small['flows']} flows, {small['deployments']} deployments, {small['runs']} "
        f"runs), where the program's own speed shows, then on the same server grown to "
        f"{seed['flows']} flows, {seed['deployments']} deployments and {seed['runs']} runs, "
        f"where the server's own time bounds every ratio.", "",
        "**wall** is the whole command; **own** its user+system CPU (what mahavishnu itself "
        "costs, whatever the server takes); **rss** its peak resident memory; **floor** the "
        "same requests sent straight to the server from a Python process with keep-alive "
        "connections and the same concurrency, timing only the requests. Timings move with "
        "the machine; memory does not.", "",
    ]
    for title, rows in b.sections:
        lines += ["", f"## {title}", "",
                  "| command | wall | own | rss | Prefect CLI / client | vs ours | floor "
                  "| ours / floor | note |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for r in rows:
            o, t, f = r["ours"], r["theirs"] or {}, r["floor"] or {}
            lines.append(f"| {r['name']} | {ms(o['wall'])} | {ms(o['own'])} | "
                         f"{o.get('rss', 0) / 1024:.1f} MiB | {ms(t.get('wall'))} | "
                         f"{ratio(t.get('wall'), o['wall'])} | {ms(f.get('wall'))} | "
                         f"{ratio(o['wall'], f.get('wall'))} | {r['note']} |")
    if smoke:
        lines += ["", "(smoke mode: a tiny seed and one run each; these figures mean nothing)"]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description="mahavishnu beside Prefect and the floor")
    parser.add_argument("--smoke", action="store_true", help="tiny seed, one run each")
    parser.add_argument("--out", help="where the report goes (default: docs/BENCHMARKS.md, "
                        "or a temporary file with --smoke)")
    a = parser.parse_args()
    # the small seed is a part of the big one (seed.py reuses names and idempotency keys)
    small_sizes = (2, 2, 20) if a.smoke else (5, 5, 50)
    sizes = (5, 5, 300, 50) if a.smoke else (200, 200, 10000, 1000)
    out = Path(a.out) if a.out else (Path(tempfile.mkdtemp()) / "BENCHMARKS.md" if a.smoke
                                     else ROOT / "docs" / "BENCHMARKS.md")
    server = Server()
    try:
        keys = ("flows", "deployments", "runs")
        small = dict(zip(keys, seeding.seed(server.api, *small_sizes)))
        b = Bench(server.api, 1 if a.smoke else 5)
        b.section(f"Reads on a small server ({small['flows']} flows, {small['runs']} runs)")
        reads(b, some_run(server.api))
        flows, deployments, runs, backfill_runs = sizes
        seed = dict(zip(keys, seeding.seed(server.api, flows, deployments, runs)))
        b.section(f"Reads on a big server ({seed['flows']} flows, {seed['runs']} runs)")
        reads(b, some_run(server.api))
        b.section(f"Long lists and backfills ({seed['runs']} runs on the server)")
        long_list(b, runs)
        conn, prefix = connection(server.api)
        _, flow = post(conn, prefix, "/flows/", {"name": "bench-backfill-flow"})
        conn.close()
        backfill(b, flow["id"], backfill_runs)
        out.write_text(report(b, small, seed, a.smoke))
    finally:
        server.stop()
    print(f"bench: report written to {out}")
    if b.failures:
        raise SystemExit("bench: these failed: " + "; ".join(sorted(set(b.failures))))


if __name__ == "__main__":
    main()
