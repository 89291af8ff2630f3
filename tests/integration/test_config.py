"""Configuration: files, environment, flags, secrets (config show and the
commands that use the settings)."""

import json
import time

import pytest

from mv_helpers import check_error, free_port, parse_table, unique

NO_ENV_URL = {"PREFECT_API_URL": None}

# The spec's first shape, verbatim (line numbers matter below).
SPEC_SHAPE_SPLIT = """\
adapters:
  prefect: true

# Prefect-specific settings
prefect:
  api_url: "http://localhost:4200/api"
  cloud_url: "https://api.prefect.cloud/api"
  workspace: "my-workspace"

  # Default work pool
  default_work_pool: "my-pool"

  # Concurrency limits
  max_concurrent_flows: 10
  max_concurrent_deployments: 5
"""

# The spec's second shape and its local override, verbatim.
SPEC_SHAPE_ADAPTERS = """\
# settings/mahavishnu.yaml
adapters:
  prefect:
    enabled: true
    api_url: "http://localhost:4200/api"
    default_work_pool: "mahavishnu-pool"
"""
SPEC_LOCAL = """\
# settings/local.yaml
prefect:
  api_url: "http://prefect-server:4200/api"
  debug: true
"""


def sources(run, *args, env=None, cwd=None):
    rc, out, err = run(*args, "config", "show", "--sources", "-o", "json",
                       env=env if env is not None else NO_ENV_URL, cwd=cwd)
    assert (rc, err) == (0, ""), err
    doc = json.loads(out)
    return doc


def setting(doc, key):
    s = doc["settings"][key]
    value = s["value"]
    return (None if value is None else str(value).lower() if isinstance(value, bool)
            else str(value)), s["origin"]


def test_spec_shape_split(run):
    run.write("settings/mahavishnu.yaml", SPEC_SHAPE_SPLIT)
    doc = sources(run)
    assert setting(doc, "api_url") == ("http://localhost:4200/api", "settings/mahavishnu.yaml:6")
    assert setting(doc, "cloud_url") == ("https://api.prefect.cloud/api",
                                         "settings/mahavishnu.yaml:7")
    assert setting(doc, "workspace") == ("my-workspace", "settings/mahavishnu.yaml:8")
    assert setting(doc, "default_work_pool") == ("my-pool", "settings/mahavishnu.yaml:11")
    assert setting(doc, "max_concurrent_flows") == ("10", "settings/mahavishnu.yaml:14")
    assert setting(doc, "max_concurrent_deployments") == ("5", "settings/mahavishnu.yaml:15")
    assert setting(doc, "enabled") == ("true", "settings/mahavishnu.yaml:2")
    assert setting(doc, "timeout") == ("30", "default")
    assert doc["effective_api_url"] == "http://localhost:4200/api"


def test_spec_shape_adapters_with_local_override(run):
    run.write("settings/mahavishnu.yaml", SPEC_SHAPE_ADAPTERS)
    run.write("settings/local.yaml", SPEC_LOCAL)
    doc = sources(run)
    assert setting(doc, "api_url") == ("http://prefect-server:4200/api", "settings/local.yaml:3")
    assert setting(doc, "debug") == ("true", "settings/local.yaml:4")
    assert setting(doc, "default_work_pool") == ("mahavishnu-pool",
                                                 "settings/mahavishnu.yaml:6")
    assert setting(doc, "enabled") == ("true", "settings/mahavishnu.yaml:4")
    assert doc["settings"]["api_url"]["source"] != doc["settings"]["default_work_pool"]["source"]


def test_user_file_under_xdg_config_home_is_lowest(run):
    user = run.xdg / "mahavishnu" / "mahavishnu.yaml"
    user.parent.mkdir(parents=True)
    user.write_text('prefect:\n  default_work_pool: "user-pool"\n  timeout: 42\n')
    doc = sources(run)
    assert setting(doc, "default_work_pool") == ("user-pool", f"{user}:2")
    assert setting(doc, "timeout") == ("42", f"{user}:3")

    run.write("settings/mahavishnu.yaml", 'prefect:\n  default_work_pool: "project-pool"\n')
    doc = sources(run)
    assert setting(doc, "default_work_pool") == ("project-pool", "settings/mahavishnu.yaml:2")
    assert setting(doc, "timeout") == ("42", f"{user}:3")


def test_precedence_user_project_local_env_flag(run):
    user = run.xdg / "mahavishnu" / "mahavishnu.yaml"
    user.parent.mkdir(parents=True)
    user.write_text('prefect:\n  api_url: "http://user:1/api"\n')
    run.write("settings/mahavishnu.yaml", 'prefect:\n  api_url: "http://project:2/api"\n')
    run.write("settings/local.yaml", '\n\nprefect:\n  api_url: "http://local:3/api"\n')
    env = {"PREFECT_API_URL": "http://env:4/api"}

    doc = sources(run, "--api-url", "http://flag:5/api", env=env)
    assert setting(doc, "api_url") == ("http://flag:5/api", "--api-url")
    assert doc["effective_api_url"] == "http://flag:5/api"

    doc = sources(run, env=env)
    assert setting(doc, "api_url") == ("http://env:4/api", "PREFECT_API_URL")

    doc = sources(run)
    assert setting(doc, "api_url") == ("http://local:3/api", "settings/local.yaml:4")

    (run.cwd / "settings" / "local.yaml").unlink()
    doc = sources(run)
    assert setting(doc, "api_url") == ("http://project:2/api", "settings/mahavishnu.yaml:2")

    (run.cwd / "settings" / "mahavishnu.yaml").unlink()
    doc = sources(run)
    assert setting(doc, "api_url") == ("http://user:1/api", f"{user}:2")


@pytest.mark.parametrize("var, key, value", [
    ("PREFECT_LOG_LEVEL", "log_level", "DEBUG"),
    ("PREFECT_UI_URL", "ui_url", "http://ui.env:1"),
    ("PREFECT_CLOUD_URL", "cloud_url", "https://cloud.env/api"),
])
def test_environment_overrides_files(run, var, key, value):
    run.write("settings/mahavishnu.yaml",
              'prefect:\n  log_level: "INFO"\n  ui_url: "http://ui.file:1"\n'
              '  cloud_url: "https://cloud.file/api"\n')
    doc = sources(run)
    assert setting(doc, key)[1].startswith("settings/mahavishnu.yaml:")
    doc = sources(run, env={"PREFECT_API_URL": None, var: value})
    assert setting(doc, key) == (value, var)


@pytest.mark.parametrize("how", ["flag", "env"])
def test_config_file_replaces_the_settings_files(run, tmp_path, how):
    run.write("settings/mahavishnu.yaml",
              'prefect:\n  api_url: "http://project:1/api"\n  default_work_pool: "pp"\n')
    run.write("settings/local.yaml", 'prefect:\n  timeout: 7\n')
    user = run.xdg / "mahavishnu" / "mahavishnu.yaml"
    user.parent.mkdir(parents=True)
    user.write_text('prefect:\n  max_retries: 1\n')
    other = tmp_path / "other.yaml"
    other.write_text('# chosen\nprefect:\n  api_url: "http://other:9/api"\n')

    if how == "flag":
        doc = sources(run, "--config", str(other))
    else:
        doc = sources(run, env={"PREFECT_API_URL": None, "MAHAVISHNU_CONFIG": str(other)})
    assert setting(doc, "api_url") == ("http://other:9/api", f"{other}:3")
    assert setting(doc, "default_work_pool")[1] == "default"
    assert setting(doc, "timeout") == ("30", "default")
    assert setting(doc, "max_retries") == ("1", f"{user}:2")  # the user file still applies


def test_config_flag_beats_mahavishnu_config(run, tmp_path):
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    a.write_text('prefect:\n  api_url: "http://a:1/api"\n')
    b.write_text('prefect:\n  api_url: "http://b:2/api"\n')
    doc = sources(run, "--config", str(b),
                  env={"PREFECT_API_URL": None, "MAHAVISHNU_CONFIG": str(a)})
    assert setting(doc, "api_url") == ("http://b:2/api", f"{b}:2")


def test_missing_config_file_is_an_error(run, tmp_path):
    missing = tmp_path / "nope.yaml"
    rc, out, err = run("--config", str(missing), "config", "show")
    assert rc == 1
    assert out == ""
    check_error(err, contains=[str(missing)])


def test_config_show_table(run):
    run.write("settings/mahavishnu.yaml", SPEC_SHAPE_SPLIT)
    rc, out, err = run("config", "show", "--sources", env={**NO_ENV_URL, "COLUMNS": "200"})
    assert (rc, err) == (0, "")
    title, header, rows = parse_table(out)
    assert title == "Configuration"
    assert header == ["Key", "Value", "Source"]
    table = {r[0]: r[1:] for r in rows}
    assert table["default_work_pool"] == ["my-pool", "settings/mahavishnu.yaml:11"]
    assert table["timeout"] == ["30", "default"]


# --- secrets --------------------------------------------------------------------

SECRET = "pnu_" + "Zq9" * 12


@pytest.mark.parametrize("where", ["file", "env"])
def test_api_key_is_masked_and_never_printed(run, prefect_server, where):
    env = {"COLUMNS": "200"}
    if where == "file":
        run.write("settings/local.yaml", f'prefect:\n  api_key: "{SECRET}"\n')
        origin = "settings/local.yaml:2"
    else:
        env["PREFECT_API_KEY"] = SECRET
        origin = "PREFECT_API_KEY"

    outputs = []
    for args in (["config", "show"], ["config", "show", "--sources"],
                 ["config", "show", "-o", "json"],
                 ["config", "show", "--sources", "-o", "json"],
                 ["-v", "config", "show"]):
        rc, out, err = run(*args, env=env)
        assert rc == 0, err
        outputs.append(out + err)
    doc = json.loads(run("config", "show", "--sources", "-o", "json", env=env)[1])
    assert doc["settings"]["api_key"]["value"] == "********"
    assert doc["settings"]["api_key"]["origin"] == origin
    doc = json.loads(run("config", "show", "-o", "json", env=env)[1])
    assert doc["settings"]["api_key"] == "********"
    _, _, rows = parse_table(run("config", "show", env=env)[1])
    assert {r[0]: r[1] for r in rows}["api_key"] == "********"

    # network commands with the HTTP trace
    for args in (["-v", "prefect", "flow", "list", "--limit", "1"],
                 ["-v", "prefect", "dashboard"],
                 ["-v", "prefect", "flow", "get", unique("missing")]):
        rc, out, err = run(*args, env=env)
        assert rc in (0, 1), err
        assert "Authorization: [redacted]" in err, err
        outputs.append(out + err)
    for text in outputs:
        assert SECRET not in text
        assert SECRET[:12] not in text


def test_auth_string_is_redacted_in_traces(run):
    secret = "admin:" + "Pw7" * 8
    env = {"PREFECT_API_AUTH_STRING": secret}
    rc, out, err = run("-v", "prefect", "dashboard", env=env)
    assert rc == 0, err
    assert "Authorization: [redacted]" in err
    rc2, out2, err2 = run("config", "show", "--sources", "-o", "json", env=env)
    assert rc2 == 0
    assert json.loads(out2)["settings"]["auth_string"]["value"] == "********"
    for text in (out, err, out2, err2):
        assert secret not in text
        assert "Pw7Pw7" not in text


# --- validation -------------------------------------------------------------------

def test_unknown_key_warns_with_file_line_and_suggestion(run):
    run.write("settings/mahavishnu.yaml",
              'prefect:\n  default_work_pool: "p"\n  api_ur: "http://x:1/api"\n')
    rc, out, err = run("config", "show", "-o", "json", env=NO_ENV_URL)
    assert rc == 0
    json.loads(out)
    warnings = [l for l in err.splitlines() if "api_ur'" in l]
    assert len(warnings) == 1, err
    assert "settings/mahavishnu.yaml:3" in warnings[0]
    assert "did you mean 'api_url'" in warnings[0]
    assert warnings[0].startswith("mahavishnu: ")


def test_unknown_key_warning_also_on_other_commands(run, prefect_server):
    run.write("settings/local.yaml", 'prefect:\n  timout: 5\n')
    rc, out, err = run("prefect", "dashboard", "--output", "json")
    assert rc == 0
    assert json.loads(out)["reachable"] is True
    assert "settings/local.yaml:2" in err and "did you mean 'timeout'" in err


@pytest.mark.parametrize("file", ["settings/mahavishnu.yaml", "settings/local.yaml"])
@pytest.mark.parametrize("cmd", [["config", "show"], ["prefect", "flow", "list"]])
def test_invalid_value_is_an_error_naming_file_and_line(run, file, cmd):
    run.write(file, 'prefect:\n  api_url: "http://127.0.0.1:9/api"\n  timeout: abc\n')
    rc, out, err = run(*cmd, env=NO_ENV_URL)
    assert rc == 1
    assert out == ""
    line = check_error(err)
    assert f"{file}:3" in line
    assert "timeout" in line


# --- a config file that points at the real server -----------------------------------

@pytest.mark.parametrize("shape", ["split", "adapters", "--config", "MAHAVISHNU_CONFIG"])
def test_config_file_makes_flow_list_work(run, prefect_server, scratch, tmp_path, shape):
    flow = scratch.flow(unique("cfg"))
    api = prefect_server.api_url
    env = dict(NO_ENV_URL)
    args = []
    if shape == "split":
        run.write("settings/mahavishnu.yaml",
                  f'adapters:\n  prefect: true\nprefect:\n  api_url: "{api}"\n')
    elif shape == "adapters":
        run.write("settings/mahavishnu.yaml",
                  f'adapters:\n  prefect:\n    enabled: true\n    api_url: "{api}"\n')
    else:
        cfg = tmp_path / "elsewhere.yaml"
        cfg.write_text(f'prefect:\n  api_url: "{api}"\n  timeout: 10\n')
        if shape == "--config":
            args = ["--config", str(cfg)]
        else:
            env["MAHAVISHNU_CONFIG"] = str(cfg)
    rc, out, err = run(*args, "prefect", "flow", "list", "--limit", "5", "-o", "json", env=env)
    assert (rc, err) == (0, "")
    assert flow["id"] in [f["id"] for f in json.loads(out)]


def test_password_in_api_url_is_never_printed(run, prefect_server):
    """Secrets never appear in any output: that includes the password of a
    URL's user-info (http://user:PASSWORD@host/api)."""
    password = "Hunter2" + "Xk9" * 5
    good = prefect_server.api_url.replace("http://", f"http://bob:{password}@")
    dead = f"http://bob:{password}@127.0.0.1:{free_port()}/api"
    texts = []
    for url, args, want_rc in ((good, ["config", "show"], 0),
                               (good, ["config", "show", "--sources", "-o", "json"], 0),
                               (good, ["prefect", "dashboard"], 0),
                               (good, ["-v", "prefect", "flow", "list", "--limit", "1"], 0),
                               (dead, ["prefect", "flow", "list"], 6)):
        rc, out, err = run(*args, env={"PREFECT_API_URL": url, "COLUMNS": "200"})
        assert rc == want_rc, (args, err)
        assert "127.0.0.1" in out + err, (args, out, err)
        texts.append((args, out + err))
    leaks = [args for args, text in texts if password in text]
    assert not leaks, f"the URL password was printed by: {leaks}"


@pytest.mark.parametrize("settings, env", [
    ("prefect:\n  log_level: DEBUG\n", {}),
    ("prefect:\n  debug: true\n", {}),
    ("", {"PREFECT_LOG_LEVEL": "debug"}),
])
def test_debug_mode_traces_http_like_verbose(run, settings, env):
    # The spec's "Debug Mode": log_level DEBUG (file or PREFECT_LOG_LEVEL) or debug: true.
    run.write("settings/mahavishnu.yaml", settings)
    rc, out, err = run("prefect", "dashboard", env=env)
    assert rc == 0, err
    assert "> GET /api/health" in err
    assert "> GET" not in out


def test_default_log_level_does_not_trace(run):
    rc, out, err = run("prefect", "dashboard", env={"PREFECT_LOG_LEVEL": "INFO"})
    assert (rc, err) == (0, "")


@pytest.mark.parametrize("text", ["a: " + "[" * 100000, "".join(f"{'  ' * i}k:\n" for i in range(70))])
def test_deeply_nested_settings_are_refused_at_once(run, text):
    """A cloned repository's settings/mahavishnu.yaml cannot hang the command."""
    run.write("settings/mahavishnu.yaml", text)
    start = time.monotonic()
    rc, out, err = run("config", "show")
    assert time.monotonic() - start < 5
    assert rc != 0 and out == ""
    check_error(err, contains=("settings/mahavishnu.yaml:", "nested more than 64 levels deep"))
