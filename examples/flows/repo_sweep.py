"""The sweep flow of the README: a survey of one repository, or of several.

`mahavishnu sweep --tag backend` runs a deployment of this flow once per
repository of settings/repos.yaml that has the tag, passing `repo`, `path` and
`tag`. The spec's other form, `flow execute repo-sweep --param repos=a,b,c`,
runs it once for several repositories, found by name in the same registry.
Each survey counts the files and lines per language, logs one summary line and
leaves a Markdown artifact; a path that does not exist fails the run.
"""
from collections import Counter
from pathlib import Path

import yaml
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact

FILES_MAX = 20000
SKIPPED_DIRS = {".git", ".venv", "node_modules", "__pycache__"}
LANGUAGES = {
    ".c": "C", ".h": "C", ".py": "Python", ".sh": "Shell", ".md": "Markdown",
    ".yaml": "YAML", ".yml": "YAML", ".json": "JSON", ".txt": "Text", ".toml": "TOML",
    ".js": "JavaScript", ".ts": "TypeScript", ".go": "Go", ".rs": "Rust",
}


def _slug(name):
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-") or "repo"


def _walk(root):
    """The files under root, skipped folders left out, at most FILES_MAX."""
    found = []
    stack = [root]
    while stack and len(found) < FILES_MAX:
        folder = stack.pop()
        for entry in sorted(folder.iterdir()):
            if entry.is_dir() and not entry.is_symlink():
                if entry.name not in SKIPPED_DIRS and not entry.name.startswith("build"):
                    stack.append(entry)
            elif entry.is_file():
                found.append(entry)
    return found[:FILES_MAX]


def _lines(file):
    try:
        with file.open("rb") as f:
            return sum(1 for _ in f)
    except OSError:
        return 0


@task
def survey(name: str, path: str) -> dict:
    """Files and lines per language under path; a missing folder fails the task."""
    root = Path(path)
    if not root.is_dir():
        raise FileNotFoundError(f"repository {name}: {path} is not a folder")
    files, lines = Counter(), Counter()
    for file in _walk(root):
        language = LANGUAGES.get(file.suffix.lower(), "Other")
        files[language] += 1
        lines[language] += _lines(file)
    total_files, total_lines = sum(files.values()), sum(lines.values())
    get_run_logger().info("%s: %d files, %d lines (%s)", name, total_files, total_lines,
                          ", ".join(f"{k} {v}" for k, v in lines.most_common(3)) or "empty")
    rows = "\n".join(f"| {k} | {files[k]} | {lines[k]} |" for k, _ in lines.most_common())
    create_markdown_artifact(
        key=f"repo-sweep-{_slug(name)}",
        markdown=f"# {name}\n\n`{path}`\n\n| Language | Files | Lines |\n|---|---|---|\n{rows}\n",
        description=f"Survey of {name}")
    return {"repo": name, "path": str(root), "files": total_files, "lines": total_lines}


def _registry_file(registry):
    """registry as given (relative to the working directory), else beside examples/."""
    given = Path(registry).expanduser()
    if given.is_absolute() or given.exists():
        return given
    return Path(__file__).resolve().parent.parent / registry


def _load_registry(registry):
    """{name: entry} from the registry, paths made absolute as mahavishnu makes them."""
    file = _registry_file(registry)
    doc = yaml.safe_load(file.read_text()) or {}
    entries = {}
    for entry in doc.get("repos") or []:
        path = Path(str(entry["path"])).expanduser()
        if not path.is_absolute():
            path = file.parent / path
        entries[entry["name"]] = dict(entry, path=str(path.resolve()))
    return entries


def _chosen(repos, tag, registry):
    """The registry entries named by repos (comma-separated), else all with tag."""
    entries = _load_registry(registry)
    names = [n.strip() for n in repos.split(",") if n.strip()]
    if not names:
        if not tag:
            raise ValueError("name the repositories (repos=a,b) or a tag (tag=backend)")
        names = [n for n, e in entries.items() if tag in (e.get("tags") or [])]
        if not names:
            raise ValueError(f"no repository in {registry} has the tag {tag!r}")
    unknown = [n for n in names if n not in entries]
    if unknown:
        raise ValueError(f"not in {registry}: {', '.join(unknown)}")
    return [entries[n] for n in names]


@flow(name="repo-sweep")
def repo_sweep(repos: str = "", tag: str = "", repo: str = "", path: str = "",
               registry: str = "settings/repos.yaml") -> dict:
    """Survey repositories: one (repo and path), or several from the registry.

    Args:
        repos: comma-separated repository names to survey, found in the registry
        tag: the sweep's tag; with no repos, every repository that has it
        repo: one repository's name (what mahavishnu sweep passes)
        path: that repository's folder; empty to look it up in the registry
        registry: the repository registry, relative to the working directory
    """
    if repo:
        if not path:
            path = _chosen(repo, "", registry)[0]["path"]
        return survey(repo, path)
    chosen = _chosen(repos, tag, registry)
    futures = [(e["name"], survey.submit(e["name"], e["path"])) for e in chosen]
    results, failed = {}, []
    for name, future in futures:
        try:
            results[name] = future.result()
        except Exception:  # noqa: BLE001 - the survey's own error is in its task's logs
            failed.append(name)
    if failed:
        raise RuntimeError(f"surveys failed: {', '.join(failed)}")
    return results
