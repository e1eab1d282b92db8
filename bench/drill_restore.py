"""Restore drill: each backup of the README restored into an empty database on PostgreSQL and compared
with the original, answer by answer.

    make drill-restore
    .venv/bin/python bench/drill_restore.py --dir /tmp/tracker-restore

An original database (a PostgreSQL server of its own, scripts/cluster) is migrated and given the
curated data/, a curator's edit (kept in the history under the curator) and a draft. Then:

1. dumpdata → loaddata   `dumpdata` of everything, loaded into a new, migrated database
2. pg_dump → pg_restore   `pg_dump -Fc`, restored with `pg_restore --create` on a second, fresh
                          PostgreSQL server; then what the read model needs: ANALYZE (statistics
                          are not dumped) and `read_model check`
3. fixtures               `export_fixtures`, imported into a new, migrated database with
                          `import_fixtures`

`manage.py snapshot_site` writes every public answer of each (pages in both languages, every
list's CSV and JSON, feeds, sitemaps, the API's lists, details and changes) and the drill compares
them with the original's byte for byte: all of them for the first two, which keep everything. The
fixture files keep the curated content only — no history, accounts, timestamps or row numbers —
so for the third every list's CSV and JSON download must be identical, every address must answer
as it did, and `export_fixtures` of the restored database must give the backup's files again
(pages may order records that tie, or are dated, differently).

Prints each round trip's answers and differences; exits 1 on any difference.
"""

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import PYTHON, log  # noqa: E402

CLUSTER = ROOT / "scripts" / "cluster"
BINDIR = max(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name), default=None)
DOWNLOAD = re.compile(r"\?format=(csv|json)$")
# A curator's edit, kept in the history under the curator, and a draft.
EDITS = """
from django.contrib.auth import get_user_model
from programs.models import Program, Status
curator = get_user_model().objects.create_user("drill-curator", password="drill-password", is_staff=True)
program = Program.objects.order_by("slug").first()
program.name_en, program._history_user = program.name_en + " (edited)", curator
program.save()
Program.objects.create(slug="a-draft-of-the-drill", name="草稿", name_en="A draft", kind="award", status=Status.DRAFT)
"""


def run(*args, env=None, **kwargs) -> str:
    done = subprocess.run(
        [str(arg) for arg in args], cwd=ROOT, env=env, capture_output=True, text=True, check=False, **kwargs
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, args))} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def environment(url: str) -> dict:
    """The environment of a management command on the database at `url` (no replica, no shared cache)."""
    return {**os.environ, "DATABASE_URL": url, "DATABASE_REPLICA_URL": "", "REDIS_URL": "", "CACHE_URL": ""}


def manage(url: str, *args) -> str:
    return run(PYTHON, "manage.py", *args, env=environment(url))


def start_server(folder: Path) -> str:
    """A PostgreSQL server of its own (its `tracker` database empty); its server's address."""
    output = run(CLUSTER, "start", folder, "primary")
    url = re.search(r"^DATABASE_URL=(.*)$", output, re.M).group(1)
    return url.rsplit("/", 1)[0]


def create_database(server: str, name: str) -> str:
    run("psql", "-qAt", f"{server}/postgres", "-c", f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def answers(url: str, folder: Path) -> Path:
    manage(url, "snapshot_site", folder)
    return folder


def differences(first: Path, second: Path, only=None) -> tuple[int, list[str]]:
    """(answers compared, those that differ or are missing), every file or those `only` accepts."""
    names = {
        str(path.relative_to(folder))
        for folder in (first, second)
        for path in folder.rglob("*")
        if path.is_file() and (only is None or only(path.name))
    }
    differ = [
        name
        for name in sorted(names)
        if not ((first / name).is_file() and (second / name).is_file())
        or not filecmp.cmp(first / name, second / name, shallow=False)
    ]
    return len(names), differ


def report(label: str, started: float, compared: int, differ: list[str], what: str = "answers") -> bool:
    log(f"{label:<26}{compared:>6} {what:<24}{len(differ):>4} differ  {time.monotonic() - started:6.1f} s")
    for name in differ[:20]:
        log(f"{'':26}differs: {name}")
    return not differ


def statuses(folder: Path) -> list[str]:
    """Each address's status and content type (the snapshot's INDEX)."""
    return (folder / "INDEX").read_text(encoding="utf-8").splitlines()


def dumpdata_round_trip(work: Path, server: str, original: str, expected: Path) -> bool:
    started = time.monotonic()
    manage(original, "dumpdata", "--output", work / "backup.json")
    restored = create_database(server, "tracker_from_dump")
    manage(restored, "migrate", "--noinput", "-v0")
    manage(restored, "loaddata", work / "backup.json")
    manage(restored, "read_model", "check")
    return report("dumpdata → loaddata", started, *differences(expected, answers(restored, work / "from-dump")))


def pg_dump_round_trip(work: Path, original: str, expected: Path) -> bool:
    started = time.monotonic()
    dump = work / "tracker.dump"
    run(BINDIR / "pg_dump", "--format=custom", f"--file={dump}", original)
    fresh = start_server(work / "fresh-server")
    run("psql", "-qAt", f"{fresh}/postgres", "-c", "DROP DATABASE tracker")  # made by the cluster script
    run(BINDIR / "pg_restore", "--create", "--no-owner", "--exit-on-error", f"--dbname={fresh}/postgres", dump)
    restored = f"{fresh}/tracker"
    run("psql", "-qAt", restored, "-c", "ANALYZE")  # the planner's statistics are not in a dump
    manage(restored, "migrate", "--noinput", "-v0")  # nothing to apply: says the schema is the code's
    manage(restored, "read_model", "check")
    return report("pg_dump → pg_restore", started, *differences(expected, answers(restored, work / "from-pg-dump")))


def fixtures_round_trip(work: Path, server: str, original: str, expected: Path) -> bool:
    started = time.monotonic()
    backup = work / "fixtures"
    manage(original, "export_fixtures", backup)
    restored = create_database(server, "tracker_from_fixtures")
    manage(restored, "migrate", "--noinput", "-v0")
    manage(restored, "import_fixtures", backup)
    got = answers(restored, work / "from-fixtures")
    ok = report("fixtures: downloads", started, *differences(expected, got, DOWNLOAD.search), "CSV and JSON lists")
    same_statuses = statuses(expected) == statuses(got)
    ok &= report("fixtures: every address", started, len(statuses(got)), [] if same_statuses else ["INDEX"])
    manage(restored, "export_fixtures", work / "fixtures-again")
    ok &= report("fixtures: export again", started, *differences(backup, work / "fixtures-again"), "fixture files")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, help="where the servers and answers go (default: a temporary folder)")
    options = parser.parse_args()
    work = options.dir or Path(tempfile.mkdtemp(prefix="tracker-restore-"))
    if work.exists() and any(work.iterdir()):
        raise SystemExit(f"{work} is not empty.")
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)  # the servers' own user enters it
    servers = [work / "server", work / "fresh-server"]
    try:
        server = start_server(servers[0])
        original = f"{server}/tracker"
        log("original: migrating, importing data/, a curator's edit and a draft ...")
        manage(original, "migrate", "--noinput", "-v0")
        manage(original, "import_fixtures", ROOT / "data")
        manage(original, "shell", "-c", EDITS)
        expected = answers(original, work / "original")
        log(f"original: {len(statuses(expected))} answers\n")
        log(f"{'round trip':<26}{'compared':>6}")
        ok = dumpdata_round_trip(work, server, original, expected)
        ok &= pg_dump_round_trip(work, original, expected)
        ok &= fixtures_round_trip(work, server, original, expected)
    finally:
        for folder in servers:
            subprocess.run([CLUSTER, "stop", folder], capture_output=True, check=False)
        if options.dir is None:
            shutil.rmtree(work, ignore_errors=True)
    log("every round trip gives the same site" if ok else "FAILED: a restored database serves another site")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
