"""TLS: an https:// Prefect API behind a loopback TLS proxy with a self-signed
certificate (made with the openssl command line tool), and `dashboard --open`
handing a hostile URL to the browser as one argument, never to a shell."""

import json
import os
import select
import socket
import ssl
import subprocess
import threading
import time

import pytest

from mv_helpers import check_error, quiet, unique

OPENSSL_TIMEOUT = 20
SECRET = "pnu_" + "Sekr3tK3y" * 4   # PREFECT_API_KEY: must never be printed


def openssl(*args, cwd):
    proc = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True,
                          timeout=OPENSSL_TIMEOUT)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")


def make_cert(directory, name, san="IP:127.0.0.1,DNS:localhost", dates=None):
    """A self-signed certificate for san and its key in directory: the paths
    (NAME.pem, NAME.key). dates=(start, end) as YYYYMMDDHHMMSSZ signs it with
    `openssl ca` for that validity (`openssl req -x509` only takes -days > 0)."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
               "-keyout", str(key), "-subj", f"/CN={name}", "-addext",
               f"subjectAltName={san}"]
    if dates is None:
        openssl("req", "-x509", *new_key, "-out", str(cert), "-days", "2", cwd=directory)
        return cert, key
    ca = directory / f"{name}-ca"
    ca.mkdir()
    (ca / "index.txt").write_text("")
    (ca / "serial").write_text("01\n")
    (ca / "ca.cnf").write_text(
        "[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\nnew_certs_dir = .\n"
        "serial = serial\ndefault_md = sha256\npolicy = p\ncopy_extensions = copy\n"
        "unique_subject = no\n[p]\ncommonName = supplied\n")
    openssl("req", *new_key, "-out", "req.csr", cwd=ca)
    openssl("ca", "-batch", "-config", "ca.cnf", "-selfsign", "-keyfile", str(key),
            "-in", "req.csr", "-out", str(cert), "-notext",
            "-startdate", dates[0], "-enddate", dates[1], cwd=ca)
    return cert, key


class TlsProxy:
    """Listens on 127.0.0.1, terminates TLS with cert/key and forwards the bytes
    to the plain Prefect server. requests counts the connections on which the
    client sent anything after the handshake: none when it refused the
    certificate (with TLS 1.3 it checks the name after the handshake)."""

    def __init__(self, cert, key, upstream):
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(cert, key)
        self.upstream = upstream
        self.requests = 0
        self.lock = threading.Lock()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.api_url = f"https://127.0.0.1:{self.port}/api"
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                raw, _ = self.sock.accept()
            except OSError:
                return  # closed by stop()
            threading.Thread(target=self._serve, args=(raw,), daemon=True).start()

    def _serve(self, raw):
        raw.settimeout(10)
        try:
            tls = self.ctx.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            raw.close()  # the client refused the certificate
            return
        try:
            with tls:
                first = tls.recv(65536)
                if not first:
                    return
                with self.lock:
                    self.requests += 1
                with socket.create_connection(self.upstream, timeout=10) as up:
                    up.sendall(first)
                    self._pump(tls, up)
        except OSError:
            pass  # a closed connection (ssl.SSLError is an OSError)

    @staticmethod
    def _pump(tls, up):
        while True:
            ready = [tls] if tls.pending() else select.select([tls, up], [], [], 30)[0]
            if not ready:
                return
            for s in ready:
                data = s.recv(65536)
                if not data:
                    return
                (up if s is tls else tls).sendall(data)

    def stop(self):
        self.sock.close()


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls-certs")
    return {
        "good": make_cert(d, "localhost"),
        "other": make_cert(d, "other.example", san="DNS:other.example"),
        "expired": make_cert(d, "expired", dates=("20200101000000Z", "20200102000000Z")),
        "future": make_cert(d, "future", dates=("20990101000000Z", "20990102000000Z")),
    }


@pytest.fixture
def proxies(prefect_server, certs):
    upstream = ("127.0.0.1", int(prefect_server.url.rsplit(":", 1)[1]))
    started = {name: TlsProxy(cert, key, upstream) for name, (cert, key) in certs.items()}
    yield started
    for proxy in started.values():
        proxy.stop()


@pytest.fixture(scope="module")
def tls_flow(rest):
    flow = rest.create_flow(unique("tls-flow"))
    yield flow
    rest.delete_flow(flow["id"])


def flow_list(run, proxy, env=None, args=()):
    env = dict({"PREFECT_API_URL": proxy.api_url, "PREFECT_API_KEY": SECRET}, **(env or {}))
    rc, out, err = run(*args, "prefect", "flow", "list", "--all", "-o", "json", env=env,
                       timeout=30)
    assert SECRET not in out and SECRET not in err, "the API key was printed"
    return rc, out, err


def names_listed(out):
    """The names in `flow list -o json` (a table would cut long names)."""
    return {flow["name"] for flow in json.loads(out)}


CA_HINT = ("ssl_cert_file", "PREFECT_API_SSL_CERT_FILE")


def assert_refused(rc, out, err, proxy, why, hint=CA_HINT):
    """Exit 6 (docs/exit-codes.md: TLS failure), nothing on stdout, one error
    line naming the URL and the certificate problem, a hint (by default naming
    the CA bundle setting), nothing of libcurl's or Python's."""
    assert rc == 6, err
    assert out == ""
    line = check_error(err, hint=True, contains=[proxy.api_url, "TLS certificate", why])
    shown = err.splitlines()[1]
    assert all(fragment in shown for fragment in hint), shown
    for noise in ("curl", "Traceback", "SSL routines", "error:0"):
        assert noise not in err, err
    assert proxy.requests == 0, "a request got through a refused certificate"
    return line


def test_self_signed_is_refused_by_default(run, proxies):
    proxy = proxies["good"]
    start = time.monotonic()
    rc, out, err = flow_list(run, proxy)
    assert time.monotonic() - start < 10, "a certificate failure is not worth retrying"
    assert_refused(rc, out, err, proxy, "self-signed")


def test_refused_with_the_trace_shows_no_secret(run, proxies):
    rc, out, err = flow_list(run, proxies["good"], args=["-v"])
    assert rc == 6
    assert "> GET" not in err and "> POST" not in err, "a request was sent:\n" + err
    assert err.splitlines()[-1].startswith("hint: "), err


@pytest.mark.parametrize("verbose", [[], ["-v"]])
def test_accepted_with_ssl_cert_file(run, proxies, certs, tls_flow, verbose):
    rc, out, err = flow_list(run, proxies["good"], args=verbose,
                             env={"PREFECT_API_SSL_CERT_FILE": certs["good"][0]})
    assert rc == 0, err
    assert tls_flow["name"] in names_listed(out)
    if verbose:
        assert "Authorization: [redacted]" in err, err
    else:
        assert quiet(err), err


def test_accepted_with_ssl_cert_file_in_settings(run, proxies, certs, tls_flow):
    run.write("settings/local.yaml", f'prefect:\n  ssl_cert_file: "{certs["good"][0]}"\n')
    rc, out, err = flow_list(run, proxies["good"])
    assert rc == 0, err
    assert quiet(err), err
    assert tls_flow["name"] in names_listed(out)


def test_worker_started_over_https_gets_the_tls_settings(run, rest, proxies, certs, tmp_path):
    """The worker is Prefect's own program: ssl_cert_file from the settings
    reaches it as PREFECT_API_SSL_CERT_FILE, or it could not poll at all."""
    from conftest import local_prefect_env
    pool = unique("tls-pool")
    run.write("settings/local.yaml", f'prefect:\n  ssl_cert_file: "{certs["good"][0]}"\n')
    env = dict(local_prefect_env(tmp_path / "state"), PREFECT_API_URL=proxies["good"].api_url)
    try:
        rc, out, err = run("prefect", "worker", "start", "--pool", pool, "--create-pool",
                           "-o", "json", env=env, timeout=120)
        assert rc == 0, err
        workers = rest.call("POST", f"/work_pools/{pool}/workers/filter", {})
        assert [w["status"] for w in workers] == ["ONLINE"]
    finally:
        run("prefect", "worker", "stop", "--pool", pool, env=env, timeout=60)
        rest.call("DELETE", f"/work_pools/{pool}", ok=(204, 404))


@pytest.mark.parametrize("content, why", [(None, "No such file or directory"),
                                          ("not a certificate\n", "no PEM certificate")])
def test_unusable_ssl_cert_file_is_a_configuration_error(run, proxies, tmp_path, content, why):
    """A local file problem: exit 1 (docs/exit-codes.md), naming the file."""
    bundle = tmp_path / "ca-bundle.pem"
    if content is not None:
        bundle.write_text(content)
    rc, out, err = flow_list(run, proxies["good"], env={"PREFECT_API_SSL_CERT_FILE": bundle})
    assert rc == 1, err
    assert out == ""
    check_error(err, hint=True, contains=[f"'{bundle}'", why])
    assert "PREFECT_API_SSL_CERT_FILE" in err.splitlines()[1]
    assert "curl" not in err, err
    assert proxies["good"].requests == 0


INSECURE_WARNING = "TLS certificate verification is off"


@pytest.mark.parametrize("where", ["env", "settings"])
def test_accepted_with_insecure_switch_and_a_warning(run, proxies, tls_flow, where):
    env = {}
    if where == "env":
        env["PREFECT_API_TLS_INSECURE_SKIP_VERIFY"] = "true"
    else:
        run.write("settings/local.yaml", "prefect:\n  tls_insecure_skip_verify: true\n")
    for proxy in (proxies["good"], proxies["other"], proxies["expired"]):
        rc, out, err = flow_list(run, proxy, env=env)
        assert rc == 0, err
        assert tls_flow["name"] in names_listed(out)
        lines = err.splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("mahavishnu: warning: "), err
        assert INSECURE_WARNING in lines[0], err
        assert "tls_insecure_skip_verify" in lines[0], err


def test_insecure_switch_off_still_verifies(run, proxies):
    rc, out, err = flow_list(run, proxies["good"],
                             env={"PREFECT_API_TLS_INSECURE_SKIP_VERIFY": "false"})
    assert_refused(rc, out, err, proxies["good"], "self-signed")
    assert INSECURE_WARNING not in err


def test_no_insecure_warning_for_plain_http(run):
    """Without TLS there is nothing to verify: the switch says nothing."""
    rc, out, err = run("prefect", "flow", "list", "--limit", "1",
                       env={"PREFECT_API_TLS_INSECURE_SKIP_VERIFY": "true"}, timeout=30)
    assert rc == 0, err
    assert quiet(err), err


@pytest.mark.parametrize("verbose", [[], ["-v"]])
def test_certificate_for_another_name_is_refused(run, proxies, certs, verbose):
    """Trusted, but issued to other.example: the name check still refuses it."""
    proxy = proxies["other"]
    rc, out, err = flow_list(run, proxy, args=verbose,
                             env={"PREFECT_API_SSL_CERT_FILE": certs["other"][0]})
    if verbose:
        assert rc == 6 and out == ""
        assert err.splitlines()[-2].startswith("mahavishnu: "), err
        assert proxy.requests == 0
    else:
        assert_refused(rc, out, err, proxy, "'127.0.0.1'", hint=("host",) + CA_HINT)


@pytest.mark.parametrize("which, why", [("expired", "expired"), ("future", "not yet valid")])
def test_certificate_out_of_its_validity_is_refused(run, proxies, certs, which, why):
    """Trusted, but outside its dates: renewing it is the fix, not a CA bundle."""
    proxy = proxies[which]
    rc, out, err = flow_list(run, proxy, env={"PREFECT_API_SSL_CERT_FILE": certs[which][0]})
    assert_refused(rc, out, err, proxy, why, hint=("validity", "clock"))


# --- dashboard --open --------------------------------------------------------

@pytest.fixture
def recording_browser(tmp_path):
    """A BROWSER that writes each argument it got on a line of its own, then
    'END' (so a half-written record is never read)."""
    record = tmp_path / "browser-argv.txt"
    script = tmp_path / "record-browser"
    script.write_text(f"#!/bin/sh\n{{ printf '%s\\n' \"$#\" \"$@\"; echo END; }} > '{record}'\n")
    script.chmod(0o755)

    def argv(timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if record.exists():
                lines = record.read_text().splitlines()
                if lines and lines[-1] == "END":
                    return int(lines[0]), lines[1:-1]
            time.sleep(0.05)
        return None

    return str(script), argv


# ui_url refuses blanks, not what a shell would make of the rest ($IFS is a blank there)
HOSTILE_UI_URL = ("http://127.0.0.1:1/x;touch${IFS}PWNED;$(touch${IFS}PWNED2)"
                  "`touch${IFS}PWNED3`|touch${IFS}PWNED4&'\"<>*")
PWNED = ("PWNED", "PWNED2", "PWNED3", "PWNED4")


@pytest.mark.parametrize("where", ["env", "settings"])
def test_dashboard_open_passes_the_url_as_one_argument(run, recording_browser, where):
    script, argv = recording_browser
    env = {"BROWSER": script}
    if where == "env":
        env["PREFECT_UI_URL"] = HOSTILE_UI_URL
    else:
        quoted = HOSTILE_UI_URL.replace("\\", "\\\\").replace('"', '\\"')
        run.write("settings/local.yaml", f'prefect:\n  ui_url: "{quoted}"\n')
    rc, out, err = run("prefect", "dashboard", "--open", "--output", "json", env=env,
                       timeout=30)
    assert (rc, err) == (0, "")
    doc = json.loads(out)
    assert (doc["url"], doc["opened"]) == (HOSTILE_UI_URL, True)
    assert argv() == (1, [HOSTILE_UI_URL])
    time.sleep(0.2)  # anything a shell would have started
    for place in (run.cwd, run.home, os.path.dirname(script)):
        for name in PWNED:
            assert not os.path.exists(os.path.join(place, name)), f"a shell ran: {name}"


def test_dashboard_browser_with_arguments_and_alternatives(run, recording_browser):
    """$BROWSER 'prog ARG:other' runs prog with ARG, then the URL: the first
    entry's words are split on blanks, never given to a shell."""
    script, argv = recording_browser
    env = {"BROWSER": f"{script} --new-window;touch:firefox",
           "PREFECT_UI_URL": HOSTILE_UI_URL}
    rc, out, err = run("prefect", "dashboard", "--open", env=env, timeout=30)
    assert (rc, err) == (0, "")
    assert argv() == (2, ["--new-window;touch", HOSTILE_UI_URL])
    time.sleep(0.2)
    assert not (run.cwd / "PWNED").exists()


def test_dashboard_over_https_checks_the_certificate_before_the_browser(run, proxies, certs,
                                                                       recording_browser):
    script, argv = recording_browser
    proxy = proxies["good"]
    env = {"PREFECT_API_URL": proxy.api_url, "PREFECT_API_KEY": SECRET, "BROWSER": script}
    rc, out, err = run("prefect", "dashboard", "--open", env=env, timeout=30)
    assert_refused(rc, out, err, proxy, "self-signed")
    assert argv(timeout=0.5) is None, "a browser was started for a refused server"

    env["PREFECT_API_SSL_CERT_FILE"] = certs["good"][0]
    rc, out, err = run("prefect", "dashboard", "--open", "-v", env=env, timeout=30)
    assert rc == 0, err
    assert SECRET not in out + err
    assert argv() == (1, [proxy.api_url.removesuffix("/api")])
