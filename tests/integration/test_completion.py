"""mahavishnu completion bash|zsh|fish: bash's completion machinery driven
through the generated function (COMP_WORDS/COMP_CWORD), fish's through
`complete -C`, zsh loading the script after compinit; every command's options
as its --help lists them; live names from the session's server, and nothing
(no error, at once) when the server cannot be reached."""

import re
import shutil
import subprocess
import time

import pytest

from mv_helpers import check_error, free_port, unique
from test_help import every_level


# an option's row in --help: "  -o, --output FORMAT   Output format"
OPTION_ROW = re.compile(r"^  (?:-\w, |    )(--[\w-]+)", re.M)


@pytest.fixture
def shell_env(run, tmp_path):
    """PATH with `mahavishnu` in it, as the scripts call it by name."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "mahavishnu").symlink_to(run.bin)
    env = run.environ()
    env["PATH"] = f"{bindir}:{env['PATH']}"
    return env


def script(run, shell, tmp_path):
    rc, out, err = run("completion", shell)
    assert (rc, err) == (0, ""), err
    path = tmp_path / f"completion.{shell}"
    path.write_text(out)
    return path


def bash_complete(run, shell_env, tmp_path, line, env=None):
    """COMPREPLY for the command line `line` (the cursor at its end)."""
    words = line.split(" ")
    setup = " ".join(f"'{w}'" for w in words)
    prog = (f"source '{script(run, 'bash', tmp_path)}'\n"
            f"COMP_WORDS=({setup}); COMP_CWORD={len(words) - 1}; COMP_LINE='{line}'\n"
            "_mahavishnu mahavishnu\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
    proc = subprocess.run(["bash", "--norc", "--noprofile", "-c", prog], capture_output=True,
                          text=True, env=dict(shell_env, **(env or {})), cwd=run.cwd, timeout=30)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    return [w for w in proc.stdout.splitlines() if w]


@pytest.mark.parametrize("line, expected", [
    ("mahavishnu ", ["completion", "config", "help", "prefect", "repos", "sweep"]),
    ("mahavishnu prefect fl", ["flow", "flow-runs"]),
    ("mahavishnu prefect flow-runs list --st", ["--state"]),
    ("mahavishnu prefect flow-runs list --state fa", ["failed"]),
    ("mahavishnu -o json prefect flow-runs list -s can", ["cancelled", "cancelling"]),
    ("mahavishnu prefect flow list -o js", ["json", "jsonl"]),
    ("mahavishnu sweep st", ["status"]),
    ("mahavishnu prefect flow create --name x --desc", ["--description"]),
])
def test_bash_completes_commands_options_and_choices(run, shell_env, tmp_path, line, expected):
    assert bash_complete(run, shell_env, tmp_path, line) == expected


def test_bash_completes_file_names_for_file_arguments(run, shell_env, tmp_path):
    (run.cwd / "etl_flow.py").write_text("")
    (run.cwd / "etl_dir").mkdir()
    got = bash_complete(run, shell_env, tmp_path, "mahavishnu prefect flow validate etl")
    assert sorted(got) == ["etl_dir", "etl_flow.py"]
    got = bash_complete(run, shell_env, tmp_path, "mahavishnu --config etl_f")
    assert got == ["etl_flow.py"]


def test_bash_completes_live_names_from_the_server(run, shell_env, tmp_path, scratch,
                                                  worker_deployments, process_worker):
    name = scratch.track(unique("complete-me"))
    assert run("prefect", "flow", "create", "--name", name)[0] == 0
    got = bash_complete(run, shell_env, tmp_path, f"mahavishnu prefect flow get {name[:14]}")
    assert got == [name]
    dep = worker_deployments["ok"]
    got = bash_complete(run, shell_env, tmp_path,
                        "mahavishnu prefect flow-runs list --deployment ")
    assert f"{dep.flow}/{dep.name}" in got
    got = bash_complete(run, shell_env, tmp_path, "mahavishnu prefect worker start --pool ")
    assert process_worker.pool in got


def test_unreachable_server_completes_nothing_quietly_and_at_once(run, shell_env, tmp_path):
    dead = {"PREFECT_API_URL": f"http://127.0.0.1:{free_port()}/api"}
    start = time.monotonic()
    assert bash_complete(run, shell_env, tmp_path, "mahavishnu prefect flow get ", dead) == []
    assert time.monotonic() - start < 5
    # static words still come without the server
    got = bash_complete(run, shell_env, tmp_path, "mahavishnu prefect flow-runs list --state la",
                        dead)
    assert got == ["late"]


def test_every_command_completes_the_options_its_help_lists(run):
    env = {"PREFECT_API_URL": f"http://127.0.0.1:{free_port()}/api"}
    commands = [w for w in every_level(run, env) if w] + [["sweep", "status"]]
    assert ["repos", "list"] in commands and ["completion"] in commands
    for words in commands:
        rc, out, _ = run(*words, "--help", env=env)
        if "<command>" in out.splitlines()[0] and words != ["sweep"]:
            continue  # a group
        listed = sorted(m.group(1) for m in OPTION_ROW.finditer(out))
        assert "--help" in listed, (words, out)
        rc, got, err = run("completion", "--words", "--", *words, "--", env=env)
        assert (rc, err) == (0, "")
        offered = sorted(line.split("\t")[0] for line in got.splitlines())
        assert set(listed) <= set(offered) and offered, (words, listed, offered)


def test_unknown_shell_is_a_usage_error(run):
    rc, out, err = run("completion", "powershell")
    assert rc == 2 and out == ""
    check_error(err, hint=True, contains=("no completion for the shell 'powershell'",))


@pytest.mark.skipif(not shutil.which("fish"), reason="fish is not installed")
def test_fish_loads_the_script_and_completes(run, shell_env, tmp_path):
    path = script(run, "fish", tmp_path)
    proc = subprocess.run(
        ["fish", "--no-config", "-c",
         f"source '{path}'; complete -C'mahavishnu prefect fl'; "
         "complete -C'mahavishnu prefect flow-runs list --state fa'"],
        capture_output=True, text=True, env=shell_env, cwd=run.cwd, timeout=30)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    lines = proc.stdout.splitlines()
    assert [l.split("\t")[0] for l in lines] == ["flow", "flow-runs", "failed"], lines
    assert lines[0].split("\t")[1].startswith("Create, validate")


@pytest.mark.skipif(not shutil.which("zsh"), reason="zsh is not installed")
def test_zsh_loads_the_script_after_compinit(run, shell_env, tmp_path):
    path = script(run, "zsh", tmp_path)
    proc = subprocess.run(
        ["zsh", "-f", "-c",
         f"autoload -U compinit && compinit -u -D && source '{path}' && "
         "print -r -- $_comps[mahavishnu] && whence -w _mahavishnu"],
        capture_output=True, text=True, env=shell_env, cwd=run.cwd, timeout=30)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert proc.stdout.split() == ["_mahavishnu", "_mahavishnu:", "function"]


def test_words_form_answers_candidates_with_descriptions(run):
    rc, out, err = run("completion", "--words", "--", "prefect", "flow", "")
    assert (rc, err) == (0, "")
    rows = dict(line.split("\t") for line in out.splitlines())
    assert set(rows) >= {"create", "list", "get", "delete", "validate", "execute"}
    assert all(rows.values()) and "\x1b" not in out
