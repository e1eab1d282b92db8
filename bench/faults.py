"""Faults the drills and the fault tests share: a large fixture file to import, and what a database
holds and whether an import is writing to it (read from outside, as an operator would)."""

import sqlite3
from pathlib import Path


def synthetic_fixture(folder: Path, programs: int) -> Path:
    """A large valid fixture file: organizations, programmes with participants, all quoted."""
    organizations = max(programs // 3, 1)
    lines = [
        "source: {slug: synthetic, title: 合成数据, language: zh-Hans}",
        "organizations:",
        *(
            f"  - {{slug: org-{i}, name: 大学{i}, kind: university, country: CN, quote: 大学{i}。}}"
            for i in range(organizations)
        ),
        "programs:",
        *(
            f"  - {{slug: prog-{i}, name: 联合实验室{i}, kind: joint_lab, start_year: {2000 + i % 25},"
            f" quote: 实验室{i}。, participants: [{{organization: org-{i % organizations}, role: sponsor}},"
            f" {{organization: org-{(i * 7 + 1) % organizations}, role: partner}}]}}"
            for i in range(programs)
        ),
    ]
    path = folder / "synthetic.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def table_counts(url: str) -> dict[str, int]:
    tables = "programs_organization programs_program programs_participation programs_citation"
    tables += " programs_historicalprogram programs_source"
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            return {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables.split()}
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as connection:
        return {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables.split()}


def writing(url: str) -> bool:
    """Whether an import is in its write phase (a write transaction is open)."""
    if url.startswith("sqlite"):
        return Path(url.removeprefix("sqlite:///") + "-journal").exists()
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as connection:
        query = "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY %%' AND state = 'active'"
        return connection.execute(query).fetchone()[0] > 0
