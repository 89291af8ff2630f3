"""mahavishnu prefect server start --database URL: the URL checked before
anything starts, its password never shown (not on success, not when the
server fails), the database in `server status`, and real starts on another
SQLite file and, when Debian's PostgreSQL is installed, on a throwaway
PostgreSQL cluster of the test's own."""

import glob
import json
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import local_prefect_env, process_alive, read_pid_file
from mv_helpers import check_error, free_port, parse_panel

SERVER_START_TIMEOUT = 150
WIDE = {"COLUMNS": "250"}
SECRET = "Hunter2-s3cret"


def server_env(tmp_path):
    port = free_port()
    state = tmp_path / "state"
    env = dict(local_prefect_env(state), PREFECT_API_URL=f"http://127.0.0.1:{port}/api", **WIDE)
    return port, state, env


def stop_server(run, env, state):
    run("prefect", "server", "stop", env=env, timeout=60)
    pid = read_pid_file(state, "server")
    if pid and process_alive(pid):
        os.killpg(os.getpgid(pid), signal.SIGKILL)


def no_secret_under(path):
    for f in Path(path).rglob("*"):
        if f.is_file():
            assert SECRET.encode() not in f.read_bytes(), f"the password is in {f}"


@pytest.mark.parametrize("url, fragment", [
    (f"mysql://bob:{SECRET}@db.example/prefect", "is not a PostgreSQL or SQLite URL"),
    (f"http://bob:{SECRET}@db.example/prefect", "is not a PostgreSQL or SQLite URL"),
    ("prefect.db", "is not a PostgreSQL or SQLite URL"),
    (f"postgresql://bob:{SECRET}@db.example:5432", "names no database"),
    (f"postgresql://bob:{SECRET}@db.example/", "names no database"),
    (f"postgresql://bob:{SECRET}@/prefect", "names no host"),
    ("sqlite://", "names no file"),
])
def test_a_bad_database_url_is_a_usage_error_before_anything_starts(run, tmp_path, url,
                                                                    fragment):
    port, state, env = server_env(tmp_path)
    rc, out, err = run("prefect", "server", "start", "--port", port, "--database", url, env=env)
    assert rc == 2, (out, err)
    assert out == ""
    line = check_error(err, contains=("option '--database'", fragment))
    assert len(err.splitlines()) == 1, err
    assert SECRET not in err
    if "bob:" in url:
        assert "bob:****@" in line
    assert not (state / "mahavishnu" / "server.pid").exists()


def test_the_password_is_not_shown_when_the_server_fails_to_start(run, tmp_path):
    # nothing listens there: Prefect exits at startup, and the error quotes its log
    port, state, env = server_env(tmp_path)
    url = f"postgresql://bob:{SECRET}@127.0.0.1:{free_port()}/prefect"
    try:
        rc, out, err = run("prefect", "server", "start", "--port", port, "--wait", "90",
                           "--database", url, env=env, timeout=SERVER_START_TIMEOUT)
        assert rc != 0, (out, err)
        assert SECRET not in out + err
        rc, out, err = run("prefect", "server", "status", "-o", "json", env=env)
        assert SECRET not in out + err
        no_secret_under(state)
    finally:
        stop_server(run, env, state)


def test_server_start_on_another_sqlite_file(run, tmp_path):
    port, state, env = server_env(tmp_path)
    db = tmp_path / "data" / "other.db"
    db.parent.mkdir()
    try:
        rc, out, err = run("prefect", "server", "start", "--port", port,
                           "--database", f"sqlite:///{db}", env=env,
                           timeout=SERVER_START_TIMEOUT)
        assert rc == 0, (out, err)
        _, fields = parse_panel(out)
        assert fields["Database"] == f"sqlite: {db}"
        assert db.exists(), "Prefect did not create the SQLite file it was given"
        assert not (state / "mahavishnu" / "prefect-home" / "prefect.db").exists()
        rc, out, err = run("prefect", "server", "status", "-o", "json", env=env)
        assert (rc, err) == (0, ""), err
        assert json.loads(out)["database"] == f"sqlite: {db}"
    finally:
        stop_server(run, env, state)


def test_server_status_shows_the_default_sqlite_database(run, tmp_path):
    port, state, env = server_env(tmp_path)
    try:
        rc, out, err = run("prefect", "server", "start", "--port", port, "-o", "json", env=env,
                           timeout=SERVER_START_TIMEOUT)
        assert rc == 0, (out, err)
        home = state / "mahavishnu" / "prefect-home"
        assert json.loads(out)["database"] == f"sqlite: {home}/prefect.db"
        rc, out, err = run("prefect", "server", "status", env=env)
        assert rc == 0, err
        assert parse_panel(out)[1]["Database"] == f"sqlite: {home}/prefect.db"
    finally:
        stop_server(run, env, state)


# --- a real PostgreSQL, when Debian's package is installed ---------------------------

def _pg_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture
def postgres():
    """A throwaway cluster on 127.0.0.1 (owned by nobody when run as root, as
    postgres refuses root), password auth; yields (port, password, psql)."""
    pg_bin = _pg_bin()
    if pg_bin is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    as_user = []
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            pytest.skip("running as root without runuser")
        as_user = ["runuser", "-u", "nobody", "--"]
    base = Path(tempfile.mkdtemp(prefix="mv-pg-test-"))
    base.chmod(0o755)
    data = base / "data"
    pwfile = base / "pw"
    pwfile.write_text(SECRET + "\n")
    if as_user:
        shutil.chown(base, "nobody")
        shutil.chown(pwfile, "nobody")
    port = free_port()
    started = False
    try:
        subprocess.run(as_user + [str(pg_bin / "initdb"), "-D", str(data), "-U", "mahavishnu",
                                  f"--pwfile={pwfile}", "--auth-host=scram-sha-256",
                                  "--auth-local=scram-sha-256", "--no-instructions"],
                       check=True, capture_output=True, timeout=120)
        pwfile.unlink()
        subprocess.run(as_user + [str(pg_bin / "pg_ctl"), "-D", str(data), "-l",
                                  str(base / "log"), "-w", "-t", "60", "-o",
                                  f"-c listen_addresses=127.0.0.1 -c port={port} "
                                  f"-c unix_socket_directories={base} -c fsync=off", "start"],
                       check=True, capture_output=True, timeout=90)
        started = True

        def psql(sql, db="postgres"):
            return subprocess.run([str(pg_bin / "psql"), "-h", "127.0.0.1", "-p", str(port),
                                   "-U", "mahavishnu", "-d", db, "-Atc", sql],
                                  env=dict(os.environ, PGPASSWORD=SECRET), check=True,
                                  capture_output=True, text=True, timeout=60).stdout.strip()
        psql("CREATE DATABASE prefect_test")
        yield port, psql
    finally:
        if started:
            subprocess.run(as_user + [str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "fast",
                                      "-w", "-t", "30", "stop"], capture_output=True,
                           timeout=60)
        shutil.rmtree(base, ignore_errors=True)


def test_server_start_on_postgresql(run, tmp_path, postgres):
    pg_port, psql = postgres
    port, state, env = server_env(tmp_path)
    url = f"postgresql://mahavishnu:{SECRET}@127.0.0.1:{pg_port}/prefect_test"
    try:
        rc, out, err = run("prefect", "server", "start", "--port", port, "--database", url,
                           env=env, timeout=SERVER_START_TIMEOUT)
        assert rc == 0, (out, err)
        assert SECRET not in out + err
        _, fields = parse_panel(out)
        assert fields["Database"] == f"postgresql: prefect_test on 127.0.0.1:{pg_port}"

        for form in ((), ("-o", "json")):
            rc, out, err = run("prefect", "server", "status", *form, env=env)
            assert rc == 0, err
            assert SECRET not in out + err
            assert f"postgresql: prefect_test on 127.0.0.1:{pg_port}" in out

        # the server's data is in PostgreSQL: a flow made through it is in the table
        rc, out, err = run("prefect", "flow", "create", "--name", "mv-on-postgres", env=env)
        assert rc == 0, (out, err)
        assert psql("SELECT count(*) FROM flow WHERE name = 'mv-on-postgres'",
                    db="prefect_test") == "1"
        assert not (state / "mahavishnu" / "prefect-home" / "prefect.db").exists()

        # and nowhere is the password: not the command line, not the log, not the state
        pid = read_pid_file(state, "server")
        assert SECRET.encode() not in Path(f"/proc/{pid}/cmdline").read_bytes()
        no_secret_under(state)
    finally:
        stop_server(run, env, state)
