"""--help / -h at every level, group listings, typos, --version. None of
these needs a server; PREFECT_API_URL points at a closed port to prove it."""

import time

import pytest

from mv_helpers import check_error, free_port


@pytest.fixture
def dead_env():
    return {"PREFECT_API_URL": f"http://127.0.0.1:{free_port()}/api"}


def listed_commands(out):
    """The words a group listing's "Commands:" section lists."""
    section = out.split("\nCommands:\n", 1)[1].split("\n\n", 1)[0]
    return [l.split()[0] for l in section.splitlines()]


def every_level(run, env, words=()):
    """words and every group and command below it, as the binary's own group
    listings name them (a group's --help starts "usage: ... <command>")."""
    levels = [list(words)]
    _, out, _ = run(*words, "--help", env=env)
    usage = " ".join(["usage: mahavishnu", *words, "<command>"])
    if out.startswith(usage + " "):
        for word in listed_commands(out):
            levels += every_level(run, env, (*words, word))
    return levels


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_at_every_level(run, dead_env, flag):
    levels = every_level(run, dead_env)
    assert ["prefect", "flow", "create"] in levels and ["config", "show"] in levels, levels
    for words in levels:
        start = time.monotonic()
        rc, out, err = run(*words, flag, env=dead_env)
        assert (rc, err) == (0, ""), (words, err)
        assert out.startswith(" ".join(["usage: mahavishnu", *words]) + " "), out[:200]
        assert time.monotonic() - start < 2, words


def test_help_after_other_options_still_helps(run, dead_env):
    rc, out, err = run("prefect", "flow", "create", "--name", "x", "--help", env=dead_env)
    assert (rc, err) == (0, "")
    assert out.startswith("usage: mahavishnu prefect flow create")


def test_create_help_documents_its_options(run):
    rc, out, err = run("prefect", "flow", "create", "--help")
    assert (rc, err) == (0, "")
    for opt in ("-n, --name", "-d, --description", "-t, --tags", "-o, --output"):
        assert opt in out, opt


def test_list_help_documents_its_options(run):
    rc, out, err = run("prefect", "flow", "list", "--help")
    assert (rc, err) == (0, "")
    for opt in ("-l, --limit", "-d, --deployed", "-o, --output"):
        assert opt in out, opt


@pytest.mark.parametrize("words, commands", [
    ([], ["config", "prefect"]),
    (["prefect"], ["dashboard", "flow"]),
    (["prefect", "flow"], ["create", "delete", "get", "list"]),
    (["config"], ["show"]),
], ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_group_without_subcommand_lists_its_commands(run, dead_env, words, commands):
    rc, out, err = run(*words, env=dead_env)
    assert (rc, err) == (0, "")
    assert out.startswith("usage: ")
    listed = listed_commands(out)
    assert set(commands) <= set(listed), listed
    assert listed == sorted(listed)
    # every listed command exists and has its own help
    for word in listed:
        rc, sub, err = run(*words, word, "--help", env=dead_env)
        assert (rc, err) == (0, ""), (word, err)
        assert sub.startswith("usage: mahavishnu " + " ".join(words + [word]) + " ")


@pytest.mark.parametrize("words, suggestion", [
    (["prefct"], "mahavishnu prefect"),
    (["confg"], "mahavishnu config"),
    (["prefect", "flw"], "mahavishnu prefect flow"),
    (["prefect", "dashbord"], "mahavishnu prefect dashboard"),
    (["prefect", "flow", "lst"], "mahavishnu prefect flow list"),
    (["prefect", "flow", "craete"], "mahavishnu prefect flow create"),
    (["config", "shw"], "mahavishnu config show"),
])
def test_unknown_word_suggests_and_exits_2(run, dead_env, words, suggestion):
    rc, out, err = run(*words, env=dead_env)
    assert rc == 2
    assert out == ""
    check_error(err, contains=[f"'{words[-1]}'"])
    assert f"did you mean '{suggestion}'" in err


@pytest.mark.parametrize("args, suggestion", [
    (["prefect", "flow", "list", "--limt", "3"], "--limit"),
    (["prefect", "flow", "create", "--nmae", "x"], "--name"),
    (["prefect", "flow", "delete", "x", "--yse"], "--yes"),
])
def test_unknown_option_suggests_and_exits_2(run, dead_env, args, suggestion):
    rc, out, err = run(*args, env=dead_env)
    assert rc == 2
    assert out == ""
    check_error(err)
    assert f"did you mean '{suggestion}'" in err


@pytest.mark.parametrize("args", [
    ["prefect", "flow", "get"],                       # missing FLOW
    ["prefect", "flow", "get", "a", "b"],             # one too many
    ["prefect", "flow", "list", "-o", "xml"],        # bad format
    ["prefect", "flow", "list", "--limit"],           # missing value
])
def test_other_usage_errors_exit_2(run, dead_env, args):
    rc, out, err = run(*args, env=dead_env)
    assert rc == 2
    assert out == ""
    check_error(err)


def test_version(run):
    rc, out, err = run("--version")
    assert (rc, out, err) == (0, "mahavishnu 0.1.0\n", "")
