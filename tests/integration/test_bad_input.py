"""The bad-input corpus: invalid invocations of every command, table-driven.

Each case is an argv (with optional environment, files in the run directory
and standard input), the exit code it must end with (2 for usage errors,
else as docs/exit-codes.md says) and a fragment that the error line must
hold: the bad value, or the option at fault. Every case checks the error
contract of /work/shared/PRODUCT.md ("Errors"): stdout empty, stderr one
'mahavishnu: ' line, optionally one 'hint: ' line, no traceback. Nothing
may change on the server: commands that create, change or delete things are
checked case by case, and the whole corpus once at the end.

In argv strings, <flow>, <dep>, <run> and <sched> stand for the names of a
flow, its deployment (one inactive cron schedule, an integer parameter x), a
Completed run of it and the schedule's ID, made over REST for this module.
"""

import json
import shlex

import pytest

from mv_helpers import unique

OK_PY = ("from prefect import flow\n\n\n@flow\ndef ok_flow(x: int = 1):\n"
         "    return x\n")
BAD_PY = "from prefect import flow\n\n\n@flow\ndef broken(:\n    pass\n"
FILES = {"ok.py": OK_PY, "bad.py": BAD_PY}


def settings(text, name="settings/mahavishnu.yaml"):
    return {name: text}


def C(case_id, argv, rc, needle, env=None, files=None, stdin=None):
    """One case. argv is shell words (shlex) or a list; needle a string or a
    tuple of strings the error line must contain."""
    words = shlex.split(argv) if isinstance(argv, str) else list(argv)
    needles = (needle,) if isinstance(needle, str) else tuple(needle)
    return pytest.param(words, rc, needles, env or {}, files or {}, stdin, id=case_id)


NO_URL = {"PREFECT_API_URL": None}

# --- words, global options and the API URL -----------------------------------------

GLOBAL = [
    C("word-top", "bogus", 2, "'bogus'"),
    C("word-prefect", "prefect bogus", 2, "'bogus'"),
    C("word-flow", "prefect flow bogus", 2, "'bogus'"),
    C("word-flow-runs", "prefect flow-runs bogus", 2, "'bogus'"),
    C("word-schedule", "prefect schedule bogus", 2, "'bogus'"),
    C("word-server", "prefect server bogus", 2, "'bogus'"),
    C("word-worker", "prefect worker bogus", 2, "'bogus'"),
    C("word-work-pools", "prefect work-pools bogus", 2, "'bogus'"),
    C("word-deployments", "prefect deployments bogus", 2, "'bogus'"),
    C("word-config", "config bogus", 2, "'bogus'"),
    C("word-repos", "repos bogus", 2, "'bogus'"),
    C("word-abbreviated", "prefect fl list", 2, "'fl'"),
    # an option without a command was ignored: the group's help and exit 0
    C("global-unknown-alone", "--bogus", 2, "'--bogus'"),
    C("global-unknown-short-alone", "-x", 2, "'-x'"),
    C("global-unknown-in-group", "prefect --bogus", 2, "'--bogus'"),
    C("global-no-value-alone", "--api-url", 2, "'--api-url'"),
    C("global-unknown-before-command", "--bogus prefect flow list", 2, "'--bogus'"),
    C("output-xml", "--output xml prefect flow list", 2, "'xml'"),
    C("output-empty", "-o '' prefect flow list", 2, ("--output", "''")),
    C("output-after-command", "prefect flow list -o csv", 2, "'csv'"),
    C("flag-with-value", "--no-color=yes prefect flow list", 2, "--no-color"),
    C("version-extra", "--version extra", 2, "'extra'"),
    C("config-flag-missing-file", "--config /nonexistent/mv.yaml prefect flow list", 1,
      "/nonexistent/mv.yaml"),
    C("config-flag-directory", "--config settings prefect flow list", 1, "settings",
      files={"settings/x": ""}),
]

URLS = [
    C("url-ftp", "--api-url ftp://127.0.0.1/api prefect flow list", 2, "ftp://127.0.0.1/api"),
    C("url-no-scheme", "--api-url 127.0.0.1:4200/api prefect flow list", 2,
      "127.0.0.1:4200/api"),
    C("url-no-host", "--api-url http:///api prefect flow list", 2, "http:///api"),
    C("url-empty", "--api-url '' prefect flow list", 2, ("--api-url", "''")),
    C("url-space", "--api-url 'http://exa mple.com/api' prefect flow list", 2, "exa mple"),
    C("url-port-letters", "--api-url http://127.0.0.1:abc/api prefect flow list", 2, ":abc"),
    C("url-port-empty", "--api-url http://127.0.0.1:/api prefect flow list", 2,
      "http://127.0.0.1:/api"),
    C("url-two-ports", "--api-url http://127.0.0.1:4200:1/api prefect flow list", 2, "4200:1"),
    C("url-ipv6-unclosed", "--api-url http://[::1/api prefect flow list", 2, "[::1"),
    # ports over 65535 were sent to the network (70000 is 4464 there) or to libcurl
    C("url-port-70000", "--api-url http://127.0.0.1:70000/api prefect flow list", 2,
      ("http://127.0.0.1:70000/api", "1..65535")),
    C("url-port-65536", "--api-url http://127.0.0.1:65536/api prefect flow get x", 2,
      ("65536", "1..65535")),
    C("url-port-0", "--api-url http://127.0.0.1:0/api prefect flow list", 2,
      ("http://127.0.0.1:0/api", "1..65535")),
    C("url-port-huge", "--api-url http://127.0.0.1:99999999999999999999/api prefect flow list",
      2, "99999999999999999999"),
    C("url-https-port-70000", "--api-url https://127.0.0.1:70000/api prefect flow list", 2,
      ("https://127.0.0.1:70000/api", "1..65535")),
    C("url-port-password-masked", "--api-url http://u:secret@127.0.0.1:70000/api prefect flow list",
      2, ("u:****@127.0.0.1:70000", "1..65535")),
    C("url-port-dashboard", "--api-url http://127.0.0.1:70000/api prefect dashboard", 2, "70000"),
    C("url-port-server-status", "--api-url http://127.0.0.1:70000/api prefect server status", 2,
      "70000"),
    C("env-url-ftp", "prefect flow list", 1, ("PREFECT_API_URL", "ftp://x/api"),
      env={"PREFECT_API_URL": "ftp://x/api"}),
    C("env-url-not-url", "prefect flow list", 1, "notaurl", env={"PREFECT_API_URL": "notaurl"}),
    C("env-url-port-70000", "prefect flow list", 1, ("PREFECT_API_URL", "70000", "1..65535"),
      env={"PREFECT_API_URL": "http://127.0.0.1:70000/api"}),
    C("env-url-https-port", "prefect flow list", 1, ("https://127.0.0.1:99999/api", "1..65535"),
      env={"PREFECT_API_URL": "https://127.0.0.1:99999/api"}),
    C("env-cloud-url", "prefect flow list", 1, ("PREFECT_CLOUD_URL", "ftp://x"),
      env={"PREFECT_CLOUD_URL": "ftp://x"}),
    C("env-ui-url", "prefect dashboard", 1, ("PREFECT_UI_URL", "'nope'"),
      env={"PREFECT_UI_URL": "nope"}),
    C("settings-url-port", "prefect flow list", 1,
      ("settings/mahavishnu.yaml:2", "http://127.0.0.1:70000/api", "1..65535"),
      env=NO_URL, files=settings('prefect:\n  api_url: "http://127.0.0.1:70000/api"\n')),
]

# --- configuration: settings files and the environment ------------------------------

CONFIG = [
    C("yaml-syntax", "prefect flow list", 1, "settings/mahavishnu.yaml:2",
      files=settings("prefect: [\n")),
    C("yaml-timeout-word", "prefect flow list", 1, ("'timeout'", "'abc'"),
      files=settings("prefect:\n  timeout: abc\n")),
    C("yaml-timeout-zero", "prefect flow list", 1, ("'timeout'", "'0'", "1..3600"),
      files=settings("prefect:\n  timeout: 0\n")),
    C("yaml-timeout-list", "prefect flow list", 1, "'timeout'",
      files=settings("prefect:\n  timeout: [1, 2]\n")),
    C("yaml-connect-timeout", "prefect flow list", 1, ("'connect_timeout'", "'301'"),
      files=settings("prefect:\n  connect_timeout: 301\n")),
    C("yaml-max-retries", "prefect flow list", 1, ("'max_retries'", "'11'"),
      files=settings("prefect:\n  max_retries: 11\n")),
    C("yaml-debug", "prefect flow list", 1, ("'debug'", "'maybe'"),
      files=settings("prefect:\n  debug: maybe\n")),
    C("yaml-log-level", "prefect flow list", 1, ("'log_level'", "'LOUD'"),
      files=settings("prefect:\n  log_level: LOUD\n")),
    C("yaml-prefect-scalar", "prefect flow list", 1, "'prefect'",
      files=settings("prefect: 5\n")),
    C("yaml-top-list", "prefect flow list", 1, "top level", files=settings("- a\n- b\n")),
    C("yaml-adapter-bool", "prefect flow list", 1, "'maybe'",
      files=settings("adapters:\n  prefect: maybe\n")),
    C("yaml-alias", "prefect flow list", 1, "'nope'", files=settings("a: *nope\n")),
    C("yaml-not-text", "config show", 1, "settings/mahavishnu.yaml",
      files=settings("prefect:\n  timeout: \"\xff\"\n  x: [\n")),
    C("yaml-local-overlay", "prefect flow list", 1, ("settings/local.yaml", "'-3'"),
      files=settings("prefect:\n  max_retries: -3\n", "settings/local.yaml")),
    C("yaml-bad-for-config-show", "config show", 1, ("'timeout'", "'soon'"),
      files=settings("prefect:\n  timeout: soon\n")),
    C("yaml-adapter-off", "prefect flow list", 1, "disabled",
      files=settings("adapters:\n  prefect: false\n")),
    C("yaml-url-ftp", "prefect flow list", 1, "ftp://x/api", env=NO_URL,
      files=settings('prefect:\n  api_url: "ftp://x/api"\n')),
    C("env-config-missing", "prefect flow list", 1, "/nonexistent/cfg.yaml",
      env={"MAHAVISHNU_CONFIG": "/nonexistent/cfg.yaml"}),
    C("env-log-level", "prefect flow list", 1, ("PREFECT_LOG_LEVEL", "'LOUD'"),
      env={"PREFECT_LOG_LEVEL": "LOUD"}),
    C("env-tls-bool", "prefect flow list", 1,
      ("PREFECT_API_TLS_INSECURE_SKIP_VERIFY", "'maybe'"),
      env={"PREFECT_API_TLS_INSECURE_SKIP_VERIFY": "maybe"}),
    C("env-url-control-char", "prefect flow list", 1, "control character",
      env={"PREFECT_API_URL": "http://127.0.0.1:4200/api\x1b"}),
]

# --- flows ----------------------------------------------------------------------------

FLOWS = [
    C("create-no-name", "prefect flow create", 2, "--name"),
    C("create-name-no-value", "prefect flow create --name", 2, "--name"),
    C("create-name-empty", "prefect flow create --name ''", 2, ("--name", "''")),
    C("create-name-slash", "prefect flow create --name a/b", 2, "'a/b'"),
    C("create-name-percent", "prefect flow create --name a%b", 2, "'a%b'"),
    C("create-name-amp", "prefect flow create --name 'a&b'", 2, "'a&b'"),
    C("create-name-gt", "prefect flow create --name 'a>b'", 2, "'a>b'"),
    C("create-name-lt", "prefect flow create --name 'a<b'", 2, "'a<b'"),
    C("create-name-newline", ["prefect", "flow", "create", "--name", "a\nb"], 2, "--name"),
    C("create-extra-arg", "prefect flow create --name x extra", 2, "'extra'"),
    C("create-unknown-option", "prefect flow create --name x --bogus", 2, "'--bogus'"),
    C("create-entrypoint-no-colon", "prefect flow create --name x --entrypoint nofile", 2,
      "'nofile'"),
    C("create-entrypoint-no-file", "prefect flow create --name x --entrypoint :f", 2, "':f'"),
    C("create-entrypoint-missing", "prefect flow create --name x --entrypoint nofile.py:f", 1,
      "nofile.py"),
    C("create-entrypoint-syntax", "prefect flow create --name x --entrypoint bad.py:broken", 1,
      "bad.py"),
    C("create-entrypoint-no-func", "prefect flow create --name ok-flow --entrypoint ok.py:nope",
      1, "'nope'", files=FILES),
    C("get-missing", "prefect flow get", 2, "FLOW"),
    C("get-extra", "prefect flow get a b", 2, "'b'"),
    C("get-unknown", "prefect flow get no-such-flow-xyz", 1, "'no-such-flow-xyz'"),
    C("delete-missing", "prefect flow delete", 2, "FLOW"),
    C("delete-unknown", "prefect flow delete no-such-flow-xyz --yes", 1, "'no-such-flow-xyz'"),
    C("delete-no-yes", "prefect flow delete <flow>", 2, "<flow>"),
    C("delete-no-yes-piped-y", "prefect flow delete <flow>", 2, "<flow>", stdin="y\n"),
    C("delete-yes-value", "prefect flow delete <flow> --yes=1", 2, "--yes"),
    C("list-limit-negative", "prefect flow list --limit -1", 2, ("--limit", "'-1'")),
    C("list-limit-word", "prefect flow list --limit abc", 2, ("--limit", "'abc'")),
    C("list-limit-huge", "prefect flow list --limit 99999999999999999999", 2,
      "'99999999999999999999'"),
    C("list-limit-empty", "prefect flow list --limit ''", 2, ("--limit", "''")),
    C("list-limit-no-value", "prefect flow list -l", 2, "--limit"),
    C("list-limit-equals", "prefect flow list --limit=1.5", 2, "'1.5'"),
    C("list-extra", "prefect flow list extra", 2, "'extra'"),
    C("validate-missing", "prefect flow validate", 2, "PATH"),
    C("validate-two-paths", "prefect flow validate ok.py bad.py", 2, "'bad.py'", files=FILES),
    C("validate-entrypoint-no-value", "prefect flow validate ok.py --entrypoint", 2,
      "--entrypoint", files=FILES),
    C("validate-unknown-option", "prefect flow validate ok.py --strict", 2, "'--strict'",
      files=FILES),
    C("execute-missing", "prefect flow execute", 2, "FLOW"),
    C("execute-timeout-no-wait", "prefect flow execute <flow> --timeout 5", 2, "--timeout"),
    C("execute-logs-no-wait", "prefect flow execute <flow> --logs", 2, "--logs"),
    C("execute-timeout-negative", "prefect flow execute <flow> --wait --timeout -1", 2, "'-1'"),
    C("execute-timeout-zero", "prefect flow execute <flow> --wait --timeout 0", 2, "'0'"),
    C("execute-timeout-word", "prefect flow execute <flow> --wait --timeout soon", 2, "'soon'"),
    C("execute-param-no-equals", "prefect flow execute <flow> --param x", 2, ("--param", "'x'")),
    C("execute-param-no-key", "prefect flow execute <flow> --param =1", 2, "'=1'"),
    C("execute-params-bad-json", "prefect flow execute <flow> --params '{'", 2, "--params"),
    C("execute-params-list", "prefect flow execute <flow> --params '[1]'", 2, "--params"),
    C("execute-unknown-flow", "prefect flow execute no-such-flow-xyz", 1, "'no-such-flow-xyz'"),
    C("execute-unknown-deployment", "prefect flow execute <flow> --deployment nope", 1, "'nope'"),
    C("execute-param-type", "prefect flow execute <flow> --param x=abc", 1, ("'x'", "abc")),
    C("execute-param-unknown", "prefect flow execute <flow> --param y=1", 1, "'y'"),
    C("execute-params-type", "prefect flow execute <flow> --params '{\"x\": [1]}'", 1, "'x'"),
    C("execute-local-no-file", "prefect flow execute f --entrypoint nofile.py:f", 1, "nofile.py"),
    C("execute-local-syntax", "prefect flow execute broken --entrypoint bad.py:broken", 1,
      "bad.py", files=FILES),
    C("execute-local-param-type", "prefect flow execute ok-flow --entrypoint ok.py:ok_flow "
      "--param x=abc", 1, ("'x'", "abc"), files=FILES),
    C("execute-local-param-unknown", "prefect flow execute ok-flow --entrypoint ok.py:ok_flow "
      "--param z=1", 1, "'z'", files=FILES),
]

# --- deployments --------------------------------------------------------------------------

DEPLOY = [
    C("deploy-no-name", "prefect deploy <flow>", 2, "--name"),
    C("deploy-no-flow", "prefect deploy --name d", 2, "FLOW"),
    C("deploy-name-empty", "prefect deploy <flow> --name ''", 2, ("--name", "''")),
    C("deploy-name-slash", "prefect deploy <flow> --name a/b", 2, "'a/b'"),
    C("deploy-name-control", ["prefect", "deploy", "<flow>", "--name", "d\x1b[2J"], 2, "--name"),
    C("deploy-cron-minute", "prefect deploy <flow> --name d --cron '61 * * * *'", 2,
      ("--cron", "'61'")),
    C("deploy-cron-fields", "prefect deploy <flow> --name d --cron '* * *'", 2, ("--cron", "3")),
    C("deploy-cron-empty", "prefect deploy <flow> --name d --cron ''", 2, "--cron"),
    C("deploy-interval-zero", "prefect deploy <flow> --name d --interval 0", 2,
      ("--interval", "'0'")),
    C("deploy-interval-negative", "prefect deploy <flow> --name d --interval -5", 2, "'-5'"),
    C("deploy-interval-word", "prefect deploy <flow> --name d --interval hourly", 2, "'hourly'"),
    C("deploy-cron-and-interval", "prefect deploy <flow> --name d --cron '0 * * * *' "
      "--interval 60", 2, ("--cron", "--interval")),
    C("deploy-timezone-alone", "prefect deploy <flow> --name d --timezone UTC", 2, "--timezone"),
    C("deploy-timezone-unknown", "prefect deploy <flow> --name d --cron '0 0 * * *' "
      "--timezone Nowhere/City", 2, ("--timezone", "'Nowhere/City'")),
    C("deploy-timezone-interval", "prefect deploy <flow> --name d --interval 60 "
      "--timezone Mars/Olympus", 2, ("--timezone", "'Mars/Olympus'")),
    # the empty pool reached the server as a 405 "Method Not Allowed"
    C("deploy-pool-empty", "prefect deploy ok-flow --name d --entrypoint ok.py:ok_flow "
      "--work-pool ''", 2, ("--work-pool", "''"), files=FILES),
    C("deploy-pool-slash", "prefect deploy ok-flow --name d --entrypoint ok.py:ok_flow "
      "--work-pool a/b", 2, ("--work-pool", "'a/b'"), files=FILES),
    C("deploy-pool-missing", "prefect deploy ok-flow --name d --entrypoint ok.py:ok_flow "
      "--work-pool no-such-pool-xyz", 2, ("'no-such-pool-xyz'", "without a terminal"),
      files=FILES),
    C("deploy-entrypoint-missing", "prefect deploy f --name d --entrypoint nofile.py:f", 1,
      "nofile.py"),
    C("deploy-entrypoint-no-func", "prefect deploy f --name d --entrypoint ok.py:nope", 1,
      "'nope'", files=FILES),
    C("deploy-entrypoint-syntax", "prefect deploy broken --name d --entrypoint bad.py:broken", 1,
      "bad.py", files=FILES),
    C("deploy-code-unknown", "prefect deploy no-such-flow-xyz --name d", 1, "no-such-flow-xyz"),
    C("deploy-param-type", "prefect deploy ok-flow --name d --entrypoint ok.py:ok_flow "
      "--param x=abc", 1, ("'x'", "abc"), files=FILES),
    C("deploy-param-unknown", "prefect deploy ok-flow --name d --entrypoint ok.py:ok_flow "
      "--param y=1", 1, "'y'", files=FILES),
    C("deploy-params-list", "prefect deploy ok-flow --name d --entrypoint ok.py:ok_flow "
      "--params '[1]'", 2, "--params", files=FILES),
    C("deploy-limit-negative", "prefect deploy <flow> --name d --concurrency-limit -1", 2,
      ("--concurrency-limit", "'-1'")),
    C("deploy-limit-word", "prefect deploy <flow> --name d --concurrency-limit many", 2, "'many'"),
    C("undeploy-missing", "prefect undeploy", 2, "DEPLOYMENT"),
    C("undeploy-unknown", "prefect undeploy no-such-dep-xyz --yes", 1, "'no-such-dep-xyz'"),
    C("undeploy-no-yes", "prefect undeploy <dep>", 2, "<dep>"),
    C("deployments-limit", "prefect deployments list --limit -3", 2, ("--limit", "'-3'")),
    C("deployments-flow-unknown", "prefect deployments list --flow no-such-flow-xyz", 1,
      "'no-such-flow-xyz'"),
    C("deployments-list-extra", "prefect deployments list extra", 2, "'extra'"),
    C("deployments-get-missing", "prefect deployments get", 2, "DEPLOYMENT"),
    C("deployments-get-unknown", "prefect deployments get no-such-dep-xyz", 1,
      "'no-such-dep-xyz'"),
]

# --- schedules ------------------------------------------------------------------------------

SC = "prefect schedule create <flow> "
SCHEDULES = [
    C("sc-no-type", "prefect schedule create <flow>", 2, "--type"),
    C("sc-type-bogus", SC + "--type weekly", 2, ("--type", "'weekly'")),
    C("sc-rrule-missing", SC + "--type rrule", 2, "--rrule"),
    C("sc-cron-missing", SC + "--type cron", 2, "--cron"),
    C("sc-interval-missing", SC + "--type interval", 2, "--interval"),
    C("sc-cron-with-interval", SC + "--type cron --cron '0 0 * * *' --interval 60", 2,
      "--interval"),
    C("sc-interval-with-cron", SC + "--type interval --interval 60 --cron '0 0 * * *'", 2,
      "--cron"),
    C("sc-cron-anchor", SC + "--type cron --cron '0 0 * * *' --anchor 2024-01-01", 2, "--anchor"),
    C("sc-cron-minute", SC + "--type cron --cron '61 * * * *'", 2, ("minute", "'61'")),
    C("sc-cron-hour", SC + "--type cron --cron '0 25 * * *'", 2, ("hour", "'25'")),
    C("sc-cron-dom", SC + "--type cron --cron '0 0 32 * *'", 2, ("day-of-month", "'32'")),
    C("sc-cron-month", SC + "--type cron --cron '0 0 * 13 *'", 2, ("month", "'13'")),
    C("sc-cron-dow", SC + "--type cron --cron '0 0 * * 8'", 2, ("day-of-week", "'8'")),
    C("sc-cron-alias", SC + "--type cron --cron @weekly2", 2, "'@weekly2'"),
    C("sc-cron-step-zero", SC + "--type cron --cron '*/0 * * * *'", 2, "'*/0'"),
    C("sc-cron-day-name", SC + "--type cron --cron '0 0 * * MON-FOO'", 2, "'MON-FOO'"),
    C("sc-cron-six-fields", SC + "--type cron --cron '0 0 0 * * *'", 2, ("--cron", "6")),
    C("sc-interval-zero", SC + "--type interval --interval 0", 2, ("--interval", "'0'")),
    C("sc-interval-huge", SC + "--type interval --interval 99999999999", 2, "'99999999999'"),
    # an unknown zone was blamed on --interval / --cron
    C("sc-timezone-interval", SC + "--type interval --interval 60 --timezone Nowhere/City", 2,
      ("--timezone", "'Nowhere/City'")),
    C("sc-timezone-cron", SC + "--type cron --cron '0 0 * * *' --timezone Nowhere/City", 2,
      ("--timezone", "'Nowhere/City'")),
    C("sc-timezone-with-anchor", SC + "--type interval --interval 60 --anchor 2024-01-01 "
      "--timezone Europe/Nowhere", 2, ("--timezone", "'Europe/Nowhere'")),
    C("sc-anchor-word", SC + "--type interval --interval 60 --anchor tomorrow", 2,
      ("--anchor", "'tomorrow'")),
    C("sc-anchor-feb-30", SC + "--type interval --interval 60 --anchor 2024-02-30", 2,
      ("--anchor", "'2024-02-30'", "29 days")),
    C("sc-anchor-hour-25", SC + "--type interval --interval 60 --anchor 2024-01-01T25:00", 2,
      "'2024-01-01T25:00'"),
    C("sc-anchor-offset", SC + "--type interval --interval 60 --anchor 2024-01-01T10:00+19:00",
      2, "'2024-01-01T10:00+19:00'"),
    # year 0 was "no month 1", year 1 "anchor date is out of range" on --interval
    C("sc-anchor-year-0", SC + "--type interval --interval 60 --anchor 0000-06-01", 2,
      ("--anchor", "'0000-06-01'", "0001-01-03", "9999-12-29")),
    C("sc-anchor-year-1", SC + "--type interval --interval 60 --anchor 0001-01-01", 2,
      ("--anchor", "'0001-01-01'", "0001-01-03")),
    C("sc-param-type", SC + "--type cron --cron '0 0 * * *' --param x=abc", 1, ("'x'", "abc")),
    C("sc-param-unknown", SC + "--type cron --cron '0 0 * * *' --param y=1", 1, "'y'"),
    C("sc-params-bad-json", SC + "--type cron --cron '0 0 * * *' --params '{'", 2, "--params"),
    C("sc-deployment-unknown", SC + "--type cron --cron '0 0 * * *' --deployment nope", 1,
      "'nope'"),
    C("sc-flow-unknown", "prefect schedule create no-such-flow-xyz --type cron "
      "--cron '0 0 * * *'", 1, "'no-such-flow-xyz'"),
    C("sl-flow-unknown", "prefect schedule list --flow no-such-flow-xyz", 1, "'no-such-flow-xyz'"),
    C("sl-deployment-unknown", "prefect schedule list --deployment no-such-dep-xyz", 1,
      "'no-such-dep-xyz'"),
    C("sl-extra", "prefect schedule list extra", 2, "'extra'"),
    C("pause-missing", "prefect schedule pause", 2, "SCHEDULE_ID"),
    C("pause-unknown", "prefect schedule pause no-such-sched", 1, "'no-such-sched'"),
    C("resume-missing", "prefect schedule resume", 2, "SCHEDULE_ID"),
    C("resume-unknown", "prefect schedule resume no-such-sched", 1, "'no-such-sched'"),
    C("sd-missing", "prefect schedule delete", 2, "SCHEDULE_ID"),
    C("sd-unknown", "prefect schedule delete no-such-sched --yes", 1, "'no-such-sched'"),
    C("sd-no-yes", "prefect schedule delete <sched>", 2, ("<dep>", "confirmation")),
    C("pv-nothing", "prefect schedule preview", 2, "--cron"),
    C("pv-cron-and-interval", "prefect schedule preview --cron '0 0 * * *' --interval 60", 2,
      "--interval"),
    C("pv-id-and-cron", "prefect schedule preview <sched> --cron '0 0 * * *'", 2, "--cron"),
    C("pv-id-timezone", "prefect schedule preview <sched> --timezone UTC", 2, "--timezone"),
    C("pv-cron-anchor", "prefect schedule preview --cron '0 0 * * *' --anchor 2024-01-01", 2,
      "--anchor"),
    C("pv-count-zero", "prefect schedule preview --cron '0 0 * * *' --count 0", 2,
      ("--count", "'0'")),
    C("pv-count-over", "prefect schedule preview --cron '0 0 * * *' -n 1001", 2, "'1001'"),
    C("pv-count-word", "prefect schedule preview --cron '0 0 * * *' -n ten", 2, "'ten'"),
    C("pv-start-word", "prefect schedule preview --cron '0 0 * * *' --start nope", 2,
      ("--start", "'nope'")),
    C("pv-start-feb-29", "prefect schedule preview --cron '0 0 * * *' --start 2023-02-29", 2,
      ("'2023-02-29'", "28 days")),
    C("pv-start-month-13", "prefect schedule preview --cron '0 0 * * *' --start 2024-13-01", 2,
      ("'2024-13-01'", "month 13")),
    # year 0 was "no month 1"; year 1 and 9999-12-31 were "time is out of range", exit 1
    C("pv-start-year-0", "prefect schedule preview --cron '0 0 * * *' --start 0000-01-01", 2,
      ("--start", "'0000-01-01'", "0001-01-03", "9999-12-29")),
    C("pv-start-year-1", "prefect schedule preview --cron '0 0 * * *' --start 0001-01-01", 2,
      ("--start", "'0001-01-01'", "0001-01-03", "9999-12-29")),
    C("pv-start-year-9999", "prefect schedule preview --cron '0 0 * * *' --start 9999-12-31", 2,
      ("--start", "'9999-12-31'", "9999-12-29")),
    C("pv-start-year-1-time", "prefect schedule preview --interval 60 "
      "--start 0001-01-01T12:00Z", 2, ("--start", "'0001-01-01T12:00Z'")),
    C("pv-cron-bad", "prefect schedule preview --cron bad", 2, ("--cron", "1")),
    C("pv-interval-zero", "prefect schedule preview --interval 0", 2, ("--interval", "'0'")),
    C("pv-anchor-month-13", "prefect schedule preview --interval 60 --anchor 2024-13-01", 2,
      ("--anchor", "'2024-13-01'")),
    C("pv-anchor-year-0", "prefect schedule preview --interval 60 --anchor 0000-01-01", 2,
      ("--anchor", "'0000-01-01'", "0001-01-03")),
    C("pv-timezone", "prefect schedule preview --interval 60 --timezone Nowhere/City", 2,
      ("--timezone", "'Nowhere/City'")),
    C("pv-unknown-id", "prefect schedule preview no-such-sched", 1, "'no-such-sched'"),
]

# --- backfill ---------------------------------------------------------------------------------

BF = "prefect backfill <dep> "
BACKFILL = [
    C("bf-no-start", "prefect backfill <dep>", 2, "--start"),
    C("bf-no-end", BF + "--start 2024-01-01", 2, "--end"),
    C("bf-no-deployment", "prefect backfill --start 2024-01-01 --end 2024-01-02", 2,
      "DEPLOYMENT"),
    C("bf-start-after-end", BF + "--start 2024-01-05 --end 2024-01-01", 2,
      ("2024-01-05", "2024-01-01")),
    C("bf-end-feb-30", BF + "--start 2024-01-01 --end 2024-02-30", 2, ("--end", "'2024-02-30'")),
    C("bf-start-slashes", BF + "--start 2024/01/01 --end 2024-01-02", 2,
      ("--start", "'2024/01/01'")),
    C("bf-start-short-offset", BF + "--start 2024-01-01T10:00+05 --end 2024-01-02", 2,
      "'2024-01-01T10:00+05'"),
    C("bf-start-hour-24", BF + "--start 2024-01-01T24:00 --end 2024-01-02", 2,
      "'2024-01-01T24:00'"),
    C("bf-end-trailing", BF + "--start 2024-01-01 --end 2024-01-02x", 2, "'2024-01-02x'"),
    C("bf-max-runs-zero", BF + "--start 2024-01-01 --end 2024-01-02 --max-runs 0", 2,
      ("--max-runs", "'0'")),
    C("bf-max-runs-word", BF + "--start 2024-01-01 --end 2024-01-02 -m all", 2, "'all'"),
    C("bf-wait-dry-run", BF + "--start 2024-01-01 --end 2024-01-02 --wait --dry-run", 2,
      "--dry-run"),
    C("bf-timeout-no-wait", BF + "--start 2024-01-01 --end 2024-01-02 --timeout 5", 2,
      "--timeout"),
    C("bf-timeout-zero", BF + "--start 2024-01-01 --end 2024-01-02 --wait --timeout 0", 2,
      ("--timeout", "'0'")),
    C("bf-date-param-empty", BF + "--start 2024-01-01 --end 2024-01-02 --date-param ''", 2,
      "--date-param"),
    # year 0 was "no month 1", year 1 and 9999-12-31 "time is out of range" with exit 1
    C("bf-start-year-0", BF + "--start 0000-01-01 --end 2024-01-02", 2,
      ("--start", "'0000-01-01'", "0001-01-03", "9999-12-29")),
    C("bf-start-year-1", BF + "--start 0001-01-01 --end 0001-01-05", 2,
      ("--start", "'0001-01-01'", "0001-01-03", "9999-12-29")),
    C("bf-end-year-9999", BF + "--start 2024-01-01 --end 9999-12-31", 2,
      ("--end", "'9999-12-31'", "9999-12-29")),
    C("bf-unknown-deployment", "prefect backfill no-such-dep-xyz --start 2024-01-01 "
      "--end 2024-01-02", 1, "'no-such-dep-xyz'"),
]

# --- flow runs ----------------------------------------------------------------------------------

RUNS = [
    C("fr-limit", "prefect flow-runs list --limit -1", 2, ("--limit", "'-1'")),
    C("fr-state-bogus", "prefect flow-runs list --state bogus", 2, ("--state", "'bogus'")),
    C("fr-state-one-bad", "prefect flow-runs list --state failed,bogus", 2, "'bogus'"),
    # an empty state matched nothing and every run was listed
    C("fr-state-comma", "prefect flow-runs list --state ,", 2, ("--state", "','", "empty")),
    C("fr-state-empty", "prefect flow-runs list --state ''", 2, ("--state", "''", "empty")),
    C("fr-state-double-comma", "prefect flow-runs list --state failed,,late", 2,
      ("--state", "'failed,,late'")),
    C("fr-state-trailing-comma", "prefect flow-runs list -s failed -s 'late, '", 2,
      "'late, '"),
    C("fr-since-word", "prefect flow-runs list --since yesterday", 2, ("--since", "'yesterday'")),
    C("fr-since-unit", "prefect flow-runs list --since 5x", 2, "'5x'"),
    C("fr-since-negative", "prefect flow-runs list --since -5m", 2, "'-5m'"),
    C("fr-since-feb-30", "prefect flow-runs list --since 2024-02-30", 2, "'2024-02-30'"),
    # year 0 went to the server and came back as its 422 text
    C("fr-since-year-0", "prefect flow-runs list --since 0000-01-01", 2,
      ("--since", "'0000-01-01'", "0001-01-01", "9999-12-31")),
    C("fr-since-year-0-time", "prefect flow-runs list --since 0000-01-01T00:00:00Z", 2,
      ("--since", "'0000-01-01T00:00:00Z'")),
    C("fr-since-ages-ago", "prefect flow-runs list --since 999999999w", 2,
      ("--since", "'999999999w'", "0001-01-01")),
    C("fr-flow-unknown", "prefect flow-runs list --flow no-such-flow-xyz", 1,
      "'no-such-flow-xyz'"),
    C("fr-deployment-unknown", "prefect flow-runs list --deployment no-such-dep-xyz", 1,
      "'no-such-dep-xyz'"),
    C("fr-get-missing", "prefect flow-runs get", 2, "RUN"),
    C("fr-get-unknown", "prefect flow-runs get no-such-run-xyz", 1, "'no-such-run-xyz'"),
    C("fr-get-extra", "prefect flow-runs get a b", 2, "'b'"),
    C("fr-cancel-missing", "prefect flow-runs cancel", 2, "RUN"),
    C("fr-cancel-unknown", "prefect flow-runs cancel no-such-run-xyz", 1, "'no-such-run-xyz'"),
    # a finished run was refused in the server's words
    C("fr-cancel-finished", "prefect flow-runs cancel <run>", 1,
      ("'<run>'", "already ended", "Completed")),
    C("fr-logs-missing", "prefect flow-runs logs", 2, "RUN"),
    C("fr-logs-unknown", "prefect flow-runs logs no-such-run-xyz", 1, "'no-such-run-xyz'"),
    C("fr-logs-level", "prefect flow-runs logs <run> --level LOUD", 2, ("--level", "'LOUD'")),
    C("fr-logs-level-empty", "prefect flow-runs logs <run> --level ''", 2, ("--level", "''")),
    C("fr-logs-level-list", "prefect flow-runs logs <run> -l INFO,ERROR", 2, "'INFO,ERROR'"),
]

# --- visualize, dashboard, pools, workers, the local server ---------------------------------

OTHERS = [
    C("viz-missing", "prefect visualize", 2, "FLOW"),
    C("viz-format", "prefect visualize <flow> --format pdf", 2, ("--format", "'pdf'")),
    C("viz-png-stdout", "prefect visualize <flow> --format png", 2, "--output"),
    C("viz-output-json", "prefect visualize <flow> -o json", 2, "--output"),
    C("viz-output-yaml", "prefect visualize <flow> --output yaml", 2, "--output"),
    C("viz-run-unknown", "prefect visualize <flow> --run no-such-run-xyz", 1,
      "'no-such-run-xyz'"),
    C("viz-flow-unknown", "prefect visualize no-such-flow-xyz", 1, "'no-such-flow-xyz'"),
    C("viz-output-no-dir", "prefect visualize <flow> --output /nonexistent/dir/g.mmd", 1,
      "/nonexistent/dir/g.mmd"),
    C("dash-unknown-option", "prefect dashboard --bogus", 2, "'--bogus'"),
    C("dash-extra", "prefect dashboard extra", 2, "'extra'"),
    C("wp-create-missing", "prefect work-pools create", 2, "NAME"),
    C("wp-create-empty", "prefect work-pools create ''", 2, "''"),
    C("wp-create-slash", "prefect work-pools create a/b", 2, "'a/b'"),
    C("wp-create-reserved", "prefect work-pools create prefect-pool", 2, "'prefect'"),
    C("wp-create-control", ["prefect", "work-pools", "create", "p\x07"], 2, "NAME"),
    C("wp-create-limit-zero", "prefect work-pools create p1 --concurrency-limit 0", 2,
      ("--concurrency-limit", "'0'")),
    C("wp-create-limit-word", "prefect work-pools create p1 -c lots", 2, "'lots'"),
    C("wp-list-extra", "prefect work-pools list extra", 2, "'extra'"),
    C("worker-start-no-pool", "prefect worker start", 2, "--pool"),
    # the empty pool was a 405 from the server, a/b a 404 called "not a Prefect API"
    C("worker-start-pool-empty", "prefect worker start --pool ''", 2, ("--pool", "''")),
    C("worker-start-pool-slash", "prefect worker start --pool a/b", 2, ("--pool", "'a/b'")),
    C("worker-start-pool-missing", "prefect worker start --pool no-such-pool-xyz", 2,
      ("'no-such-pool-xyz'", "without a terminal")),
    C("worker-stop-no-pool", "prefect worker stop", 2, "--pool"),
    C("worker-stop-pool-empty", "prefect worker stop --pool ''", 2, ("--pool", "''")),
    C("server-port-zero", "prefect server start --port 0", 2, ("--port", "'0'")),
    C("server-port-over", "prefect server start --port 70000", 2, ("--port", "'70000'")),
    C("server-port-word", "prefect server start --port http", 2, "'http'"),
    C("server-wait-zero", "prefect server start --wait 0", 2, ("--wait", "'0'")),
    C("server-wait-negative", "prefect server start --wait -1", 2, "'-1'"),
    C("server-database-mysql", "prefect server start --database mysql://x/y", 2,
      ("--database", "mysql://x/y")),
    C("server-database-empty", "prefect server start --database ''", 2, ("--database", "''")),
    C("server-database-no-host", "prefect server start --database postgresql://u:pw@/db", 2,
      ("--database", "u:****@/db")),
    # an empty host was passed to 'prefect server start'
    C("server-host-empty", "prefect server start --host ''", 2, ("--host", "''")),
    C("server-host-slash", "prefect server start --host 'a/b'", 2, ("--host", "'a/b'")),
    C("server-status-extra", "prefect server status extra", 2, "'extra'"),
    C("server-stop-extra", "prefect server stop extra", 2, "'extra'"),
]

# --- config, repos, sweep, completion, help -----------------------------------------------------

REPOS_OK = settings("repos:\n  - name: a\n    path: /tmp\n    tags: [t]\n", "settings/repos.yaml")

TOOLS = [
    C("config-extra", "config show extra", 2, "'extra'"),
    C("config-unknown-option", "config show --bogus", 2, "'--bogus'"),
    C("config-sources-value", "config show --sources=yes", 2, "--sources"),
    C("repos-get-missing", "repos get", 2, "NAME"),
    C("repos-get-extra", "repos get a b", 2, "'b'"),
    C("repos-no-registry", "repos get a", 1, "settings/repos.yaml"),
    C("repos-get-unknown", "repos get nope", 1, "'nope'", files=REPOS_OK),
    C("repos-bad-yaml", "repos list", 1, "repos.yaml:2",
      files=settings("repos: [\n", "settings/repos.yaml")),
    C("repos-no-path", "repos list", 1, ("'a'", "'path'"),
      files=settings("repos:\n  - name: a\n", "settings/repos.yaml")),
    C("repos-env-missing", "repos list", 1, "/nonexistent/repos.yaml",
      env={"MAHAVISHNU_REPOS_PATH": "/nonexistent/repos.yaml"}),
    C("repos-tag-no-value", "repos list --tag", 2, "--tag"),
    C("sweep-no-tag", "sweep", 2, "--tag"),
    C("sweep-concurrency", "sweep --tag t --concurrency 0", 2, ("--concurrency", "'0'")),
    C("sweep-no-deployment", "sweep --tag t", 2, "deployment", files=REPOS_OK),
    C("sweep-timeout-no-wait", "sweep --tag t --deployment x --timeout 5", 2, "--timeout"),
    C("sweep-params-json", "sweep --tag t --deployment x --params '{'", 2, "--params"),
    C("sweep-param-no-equals", "sweep --tag t --deployment x -p x", 2, "'x'"),
    C("sweep-adapter", "sweep --tag t --deployment x --adapter airflow", 2, "'airflow'"),
    C("sweep-tag-unknown", "sweep --tag nope --deployment <dep>", 1, "'nope'", files=REPOS_OK),
    C("sweep-deployment-unknown", "sweep --tag t --deployment no-such-dep-xyz", 1,
      "'no-such-dep-xyz'", files=REPOS_OK),
    C("sweep-status-extra", "sweep status extra", 2, "'extra'"),
    C("sweep-status-tag-no-value", "sweep status --tag", 2, "--tag"),
    C("completion-missing", "completion", 2, "SHELL"),
    C("completion-shell", "completion tcsh", 2, "'tcsh'"),
    C("completion-extra", "completion bash extra", 2, "'extra'"),
    C("help-unknown", "help nosuchcommand", 2, "'nosuchcommand'"),
    # the word was said not to be a mahavishnu command, whatever group it followed
    C("help-unknown-in-group", "help prefect bogus", 2, ("'bogus'", "under 'prefect'")),
    C("help-unknown-in-flow", "help prefect flow bogus", 2,
      ("'bogus'", "under 'prefect flow'")),
]

ALL = GLOBAL + URLS + CONFIG + FLOWS + DEPLOY + SCHEDULES + BACKFILL + RUNS + OTHERS + TOOLS

# Commands that create, change or delete something: checked case by case.
MUTATING = [("flow", "create"), ("flow", "execute"), ("flow", "delete"), ("deploy",),
            ("undeploy",), ("schedule", "create"), ("schedule", "pause"),
            ("schedule", "resume"), ("schedule", "delete"), ("backfill",),
            ("flow-runs", "cancel"), ("work-pools", "create"), ("worker", "start"),
            ("sweep",)]


def mutating(argv):
    words = [w for w in argv if not w.startswith("-")]
    return any(words[i:i + len(m)] == list(m) for m in MUTATING for i in range(len(words)))


# --- the server's state -------------------------------------------------------------------------

class World:
    def __init__(self, rest):
        self.rest = rest
        self.flow = unique("corpus-flow")
        self.dep = unique("corpus-dep")
        self.run = unique("corpus-run")
        flow = rest.create_flow(self.flow)
        self.flow_id = flow["id"]
        # the schedule is inactive so the scheduler makes no runs while the corpus runs
        dep = rest.call("POST", "/deployments/", {
            "name": self.dep, "flow_id": self.flow_id,
            "schedules": [{"schedule": {"cron": "0 0 * * *"}, "active": False}],
            "parameter_openapi_schema": {"type": "object",
                                         "properties": {"x": {"type": "integer"}}}})
        self.dep_id = dep["id"]
        self.sched = rest.call("GET", f"/deployments/{self.dep_id}/schedules")[0]["id"]
        run = rest.create_flow_run(self.flow_id, "COMPLETED", name=self.run)
        self.run_id = run["id"]

    def expand(self, word):
        for key in ("flow", "dep", "run", "sched"):
            word = word.replace(f"<{key}>", getattr(self, key))
        return word

    def snapshot(self):
        """What bad input must not change."""
        call = self.rest.call
        count = lambda path: call("POST", path, {})
        dep = call("GET", f"/deployments/{self.dep_id}")
        return {
            "flows": count("/flows/count"),
            "deployments": count("/deployments/count"),
            "flow_runs": count("/flow_runs/count"),
            "block_documents": count("/block_documents/count"),
            "work_pools": sorted(p["name"] for p in call("POST", "/work_pools/filter", {})),
            "schedules": sorted((s["id"], s["active"], json.dumps(s["schedule"], sort_keys=True),
                                 json.dumps(s.get("parameters"), sort_keys=True))
                                for s in call("GET", f"/deployments/{self.dep_id}/schedules")),
            "deployment": (dep["paused"], json.dumps(dep["parameters"], sort_keys=True),
                           dep["work_pool_name"], dep["updated"]),
            "run": call("GET", f"/flow_runs/{self.run_id}")["state_type"],
        }

    def delete(self):
        self.rest.delete_flow(self.flow_id)


@pytest.fixture(scope="module")
def world(rest):
    w = World(rest)
    w.before = w.snapshot()
    yield w
    w.delete()


def check_contract(rc, out, err, want_rc, needles, world):
    assert "Traceback" not in err and "Traceback" not in out
    assert out == "", f"stdout not empty: {out[:300]!r}"
    lines = err.splitlines()
    assert lines, "no error message on stderr"
    assert lines[0].startswith("mahavishnu: "), err
    assert not lines[0].startswith("mahavishnu: warning:"), err
    assert len(lines) <= 2, f"more than an error and a hint: {err!r}"
    if len(lines) == 2:
        assert lines[1].startswith("hint: "), err
    for needle in needles:
        assert world.expand(needle) in lines[0], f"{world.expand(needle)!r} not in {lines[0]!r}"
    assert rc == want_rc, f"exit {rc}, wanted {want_rc}: {err!r}"


@pytest.mark.parametrize("argv, want_rc, needles, env, files, stdin", ALL)
def test_bad_input(run, world, argv, want_rc, needles, env, files, stdin):
    argv = [world.expand(a) for a in argv]
    for name, text in files.items():
        run.write(name, text)
    before = world.snapshot() if mutating(argv) else None
    rc, out, err = run(*argv, env=env, input=stdin, timeout=20)
    check_contract(rc, out, err, want_rc, needles, world)
    if before is not None:
        assert world.snapshot() == before, "the server changed"


def test_corpus_is_large_and_covers_every_command():
    assert len(ALL) >= 150, len(ALL)
    ids = [p.id for p in ALL]
    assert len(set(ids)) == len(ids), "duplicate case ids"
    commands = ["prefect flow create", "prefect flow get", "prefect flow delete",
                "prefect flow list", "prefect flow validate", "prefect flow execute",
                "prefect deploy", "prefect undeploy", "prefect deployments list",
                "prefect deployments get", "prefect schedule create", "prefect schedule list",
                "prefect schedule pause", "prefect schedule resume", "prefect schedule preview",
                "prefect schedule delete", "prefect backfill", "prefect flow-runs list",
                "prefect flow-runs get", "prefect flow-runs cancel", "prefect flow-runs logs",
                "prefect visualize", "prefect dashboard", "prefect work-pools list",
                "prefect work-pools create", "prefect worker start", "prefect worker stop",
                "prefect server start", "prefect server status", "prefect server stop",
                "config show", "repos list", "repos get", "sweep", "sweep status",
                "completion", "help"]
    joined = [" ".join(w for w in p.values[0] if not w.startswith("-")) for p in ALL]
    missing = [c for c in commands if not any(j.startswith(c) for j in joined)]
    assert not missing, missing


def test_zz_nothing_changed_on_the_server(world):
    """After the whole corpus (this test runs last in the module)."""
    assert world.snapshot() == world.before
