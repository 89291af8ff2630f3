"""mahavishnu prefect dashboard"""

import json
import time

import pytest

from mv_helpers import check_error, free_port, parse_panel


@pytest.fixture
def browser(tmp_path):
    """A BROWSER that records its arguments, one per line."""
    record = tmp_path / "browser-argv.txt"
    script = tmp_path / "fake-browser"
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{record}.tmp'\n"
                      f"mv '{record}.tmp' '{record}'\n")
    script.chmod(0o755)

    def wait_for_argv(timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if record.exists():
                return record.read_text().splitlines()
            time.sleep(0.05)
        return None

    return str(script), wait_for_argv


def test_table_shows_ui_url_and_server_version(run, rest, prefect_server):
    rc, out, err = run("prefect", "dashboard")
    assert (rc, err) == (0, "")
    title, fields = parse_panel(out)
    assert title == "Prefect Dashboard"
    assert fields["URL"] == prefect_server.url
    assert fields["Server"] == rest.version()
    assert "--open" in out  # the tip


def test_json(run, rest, prefect_server):
    rc, out, err = run("prefect", "dashboard", "--output", "json")
    assert (rc, err) == (0, "")
    doc = json.loads(out)
    assert doc["url"] == prefect_server.url
    assert doc["api_url"] == prefect_server.api_url
    assert doc["server_version"] == rest.version()
    assert doc["reachable"] is True
    assert doc["opened"] is False


def test_trailing_slash_on_api_url(run, prefect_server):
    rc, out, err = run("prefect", "dashboard", "--output", "json",
                       env={"PREFECT_API_URL": prefect_server.api_url + "/"})
    assert (rc, err) == (0, "")
    assert json.loads(out)["url"] == prefect_server.url


@pytest.mark.parametrize("flag", ["--open", "-o"])
def test_open_starts_browser_on_the_url(run, prefect_server, browser, flag):
    script, wait_for_argv = browser
    rc, out, err = run("prefect", "dashboard", flag, env={"BROWSER": script})
    assert (rc, err) == (0, "")
    assert wait_for_argv() == [prefect_server.url]
    _, fields = parse_panel(out)
    assert fields["URL"] == prefect_server.url


def test_open_json_reports_opened(run, prefect_server, browser):
    script, wait_for_argv = browser
    rc, out, err = run("prefect", "dashboard", "--open", "--output", "json",
                       env={"BROWSER": script})
    assert (rc, err) == (0, "")
    assert json.loads(out)["opened"] is True
    assert wait_for_argv() == [prefect_server.url]


def test_prefect_ui_url_overrides(run, prefect_server, browser):
    script, wait_for_argv = browser
    ui = "http://ui.example.test:8080/prefect"
    env = {"PREFECT_UI_URL": ui, "BROWSER": script}
    rc, out, err = run("prefect", "dashboard", env=env)
    assert (rc, err) == (0, "")
    assert parse_panel(out)[1]["URL"] == ui

    rc, out, err = run("prefect", "dashboard", "--output", "json", env=env)
    assert (rc, err) == (0, "")
    doc = json.loads(out)
    assert doc["url"] == ui
    assert doc["api_url"] == prefect_server.api_url

    rc, out, err = run("prefect", "dashboard", "--open", env=env)
    assert (rc, err) == (0, "")
    assert wait_for_argv() == [ui]


def test_ui_url_from_config_file(run):
    ui = "http://from-config.test:4200"
    run.write("settings/mahavishnu.yaml", f'prefect:\n  ui_url: "{ui}"\n')
    rc, out, err = run("prefect", "dashboard", "--output", "json")
    assert (rc, err) == (0, "")
    assert json.loads(out)["url"] == ui


def test_server_down_exits_6_quickly(run, browser):
    script, wait_for_argv = browser
    api = f"http://127.0.0.1:{free_port()}/api"
    start = time.monotonic()
    rc, out, err = run("prefect", "dashboard", "--open", env={"PREFECT_API_URL": api,
                                                           "BROWSER": script})
    elapsed = time.monotonic() - start
    assert rc == 6
    assert out == ""
    check_error(err, hint=True, contains=[api])
    assert elapsed < 3, f"took {elapsed:.1f} s"
    assert wait_for_argv(timeout=0.5) is None, "a browser was started for a dead server"


def test_global_output_option_before_the_command(run, prefect_server):
    """'mahavishnu --help' lists '-o, --output FORMAT' as a global option;
    before the command word it must mean --output even though the dashboard
    itself uses -o for --open (as the spec says)."""
    for args in (["-o", "json", "prefect", "dashboard"],
                 ["prefect", "-o", "json", "dashboard"],
                 ["--output", "json", "prefect", "dashboard"]):
        rc, out, err = run(*args)
        assert (rc, err) == (0, ""), (args, err)
        assert json.loads(out)["url"] == prefect_server.url, args


def test_open_without_a_browser_still_prints_the_url(run, prefect_server):
    """No $BROWSER, no xdg-open or open on PATH: the URL is shown to open by hand,
    then the failure is an error (exit 1)."""
    env = {"BROWSER": None, "PATH": "/nonexistent"}
    rc, out, err = run("prefect", "dashboard", "--open", env=env)
    assert rc == 1
    title, fields = parse_panel(out)
    assert fields["URL"] == prefect_server.api_url.removesuffix("/api")
    assert "open the URL by hand" in out
    check_error(err, hint=True, contains=("cannot open a browser",))
    rc, out, err = run("prefect", "dashboard", "--open", "--output", "json", env=env)
    assert rc == 1 and json.loads(out)["opened"] is False
