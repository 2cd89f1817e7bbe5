"""The docs name what the code does: every contract table and column, the quickstart commands."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import duckdb

from airace_pipeline.paths import REPO_ROOT
from airace_pipeline.validation.schemas import MODELS
from airace_pipeline.warehouse.contract import CONTRACT


def test_contract_page_names_every_table_and_column() -> None:
    page = (REPO_ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    for table in CONTRACT:
        section = re.search(rf"^## {table.name}\n(.*?)(?=^## |\Z)", page, re.MULTILINE | re.DOTALL)
        assert section, f"docs/contract.md has no section for {table.name}"
        for column in table.column_names:
            assert re.search(rf"\b{column}\b", section.group(1)), (
                f"{table.name}.{column} not in docs/contract.md"
            )
        assert "```sql" in section.group(1), f"no example query for {table.name}"


def test_pandera_models_match_the_contract() -> None:
    for table in CONTRACT:
        model_columns = set(MODELS[table.name].to_schema().columns)
        assert model_columns == set(table.column_names), table.name


def test_readme_quickstart() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("make run", "make test", "make dev", "dagster asset materialize"):
        assert command in readme, command


# --------------------------------------------------------------------------------------------------------
# Every shell command in the README works on a fresh clone: each is run, or its documented cheap equivalent
# (`make -n` for the long targets: make parses the Makefile, finds the target and its prerequisites, and
# prints the recipe without running it).
# --------------------------------------------------------------------------------------------------------


def readme_shell_commands(text: str) -> list[str]:
    """The commands of the README's ```sh blocks, as the shell reads them: continuation lines and quoted
    newlines joined, comments and blank lines dropped."""
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        pending = ""
        for line in block.replace("\\\n", " ").splitlines():
            pending = f"{pending}\n{line}" if pending else line
            try:
                words = shlex.split(pending, comments=True)
            except ValueError:  # an open quote: the command goes on on the next line
                continue
            if words:
                commands.append(pending)
            pending = ""
        assert not pending, f"unterminated command in a README shell block: {pending}"
    return commands


def readme_inline_make_targets(text: str) -> set[str]:
    """`make <target>` mentioned in inline code anywhere in the README."""
    return {m for m in re.findall(r"`make ([a-z][a-z-]*)", text)}


def _published_file_with_the_contract(folder: Path) -> None:
    """An empty published file shaped by the contract, where the README's query expects it."""
    (folder / "data").mkdir(parents=True)
    conn = duckdb.connect(str(folder / "data" / "airace.duckdb"))
    try:
        for table in CONTRACT:
            conn.execute(table.create_sql())
    finally:
        conn.close()


def check_command(command: str, scratch: Path) -> subprocess.CompletedProcess:
    """Run one README command, or its cheap equivalent; the result's return code says if it works."""
    words = shlex.split(command, comments=True)
    env = dict(os.environ)
    while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    if words[0] == "make":
        result = subprocess.run(
            ["make", "-n", *words[1:]], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        goals = dict(w.split("=", 1) for w in words[1:] if "=" in w)
        if result.returncode == 0 and "backfill" in words:  # the days must also be valid
            return subprocess.run(
                [sys.executable, "-m", "airace_pipeline", "run", "--start", goals.get("START", ""),
                 "--end", goals.get("END", ""), "--dry-run"],
                cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120,
            )  # fmt: skip
        return result
    if words[0] == ".venv/bin/python":  # a short one: run it for real, against an empty published file
        (scratch / ".venv").symlink_to(REPO_ROOT / ".venv")
        _published_file_with_the_contract(scratch)
        return subprocess.run(words, cwd=scratch, env=env, capture_output=True, text=True, timeout=120)
    raise AssertionError(f"no rule to check this README command; add one to test_docs.py: {command}")


def test_every_readme_shell_command_works(tmp_path: Path) -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    commands = readme_shell_commands(readme)
    assert any(c.startswith("make run") for c in commands)
    for number, command in enumerate(commands):
        scratch = tmp_path / str(number)
        scratch.mkdir()
        result = check_command(command, scratch)
        assert result.returncode == 0, f"README command fails: {command}\n{result.stdout}{result.stderr}"


def test_every_make_target_the_readme_names_exists() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    targets = readme_inline_make_targets(readme)
    assert {"run", "test", "dev", "backfill", "env"} <= targets
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    defined = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.MULTILINE))
    assert targets <= defined, f"the README names make targets the Makefile lacks: {targets - defined}"


def test_the_checker_catches_a_wrong_command(tmp_path: Path) -> None:
    """The checks above would pass vacuously if a wrong command looked right to them."""
    assert check_command("make no-such-target", tmp_path / "a").returncode != 0
    assert check_command("make backfill START=2024-02-30 END=2024-03-01", tmp_path / "b").returncode != 0
    (tmp_path / "c").mkdir()
    broken = ".venv/bin/python -c \"import duckdb; duckdb.connect('data/airace.duckdb').sql('SELECT nope FROM investments')\""
    assert check_command(broken, tmp_path / "c").returncode != 0


def test_make_backfill_without_days_says_how_to_call_it() -> None:
    result = subprocess.run(["make", "-n", "backfill"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "make backfill needs START=YYYY-MM-DD END=YYYY-MM-DD" in result.stderr


def test_working_file_follows_the_sources_file(tmp_path: Path) -> None:
    """`AIRACE_SOURCES=mine.yaml make run` then a plain `make run` must not share a working file."""

    def work_path(**env: str) -> str:
        environ = {k: v for k, v in os.environ.items() if not k.startswith("AIRACE_")} | env
        out = subprocess.run(
            ["make", "-s", "env"], cwd=REPO_ROOT, env=environ, capture_output=True, text=True
        )
        return dict(line.split("=", 1) for line in out.stdout.splitlines())["AIRACE_WORK_DUCKDB_PATH"]

    default = work_path()
    mine = work_path(AIRACE_SOURCES=str(tmp_path / "mine.yaml"))
    other_folder = work_path(AIRACE_SOURCES=str(tmp_path / "elsewhere" / "mine.yaml"))
    assert len({default, mine, other_folder}) == 3
    assert Path(default).parent != Path(mine).parent  # dlt's state sits beside the working file
    assert default == work_path(AIRACE_SOURCES="data/sources.yaml")  # relative to the repository root
    assert work_path(AIRACE_WORK_DUCKDB_PATH="/tmp/x.duckdb") == "/tmp/x.duckdb"
