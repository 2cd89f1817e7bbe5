"""The docs name what the code does: every contract table and column, the quickstart commands."""

from __future__ import annotations

import re

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
