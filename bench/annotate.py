"""The article workspace's figures: recall on the seed articles, and speed and memory at scale.

    .venv/bin/python bench/annotate.py /path/to/articles                 # both parts, 100,000 programmes
    .venv/bin/python bench/annotate.py /path/to/articles --skip scale
    .venv/bin/python bench/annotate.py /path/to/articles --programs 20000

The articles folder holds the seed articles that data/*.yaml curate (each file's header names its
article: "# Curates …/articles/<file>"). Each article is read as an upload is
(programs/curation/workspace/decoding.py: encoding, HTML reduced to text).

1. Recall, on SQLite in a temporary folder:
   - on an empty registry, the share of the organizations, people and programmes each article's
     file cites that the proposals name (a proposal's name, folded, is one of the record's names
     or aliases, folded; any type);
   - on the full registry (data/ imported), the share of the records cited from each article
     whose name or an alias appears in its text (folded) that are found as mentions.
2. Speed and memory, on PostgreSQL with `seed_synthetic --programs N` (bench/run.py's server in
   --data-dir, reused between runs): the matcher's build time and the memory it holds, then
   annotating a 30,000-character text (the articles, joined and cut), median of five: mentions and
   proposals, and the proposals' nearest records (the reconciliation matcher's queries) apart; and
   the matcher's freshness check, median of five once connected.
   Memory is the growth of the process's resident memory while the matcher is built.

Figures drift between runs and machines.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEXT_CHARS = 30_000
RUNS = 5
CITED_TYPES = ("organization", "person", "program")


def log(message: str) -> None:
    print(message, flush=True)


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")
    import django

    django.setup()


def article_files(articles: Path) -> dict[str, Path]:
    """Source slug -> the article its data file curates."""
    import yaml_rs

    found = {}
    for data in sorted((ROOT / "data").glob("*.yaml")):
        content = data.read_text(encoding="utf-8")
        curated = re.search(r"^# Curates \S*?([^/\s:]+\.txt)", content, re.MULTILINE)
        if curated:
            found[yaml_rs.loads(content)["source"]["slug"]] = articles / curated.group(1)
    return found


def article_text(path: Path) -> str:
    from programs.curation.workspace.decoding import text_of_file

    return text_of_file(path.read_bytes(), path.name)


# 1. Recall


def cited_records(source_slug: str) -> dict[str, list]:
    """The organizations, people and programmes citing a source, by type."""
    from programs.curation.workspace.matcher import NAMED_TYPES
    from programs.models import Citation

    records = {}
    for named in NAMED_TYPES:
        if named.id in CITED_TYPES:
            ids = Citation.objects.filter(
                source__slug=source_slug, content_type__model=named.model._meta.model_name
            ).values("object_id")
            records[named.id] = [(named, record) for record in named.model.objects.filter(pk__in=ids)]
    return records


def names_of(named, record) -> set[str]:
    from programs.curation.workspace.reading import folded_name

    names = [getattr(record, field) for field in named.names]
    names += [alias for field in named.lists for alias in getattr(record, field)]
    return {folded_name(name) for name in names if name}


def pointed_at(record, slug: str, sentences: set[str]) -> bool:
    """A programme the article describes without naming it (a descriptive name) is pointed at when a
    programme is proposed in the sentence its citation quotes."""
    from programs.curation.workspace.reading import folded_name
    from programs.models import Citation

    if not getattr(record, "name_is_descriptive", False):
        return False
    quote = folded_name(
        Citation.objects.get(source__slug=slug, content_type__model="program", object_id=record.pk).quote
    )
    return any(quote in sentence or sentence in quote for sentence in sentences)


def proposed_names(annotation) -> tuple[set[str], set[str]]:
    """The folded names proposed, and the folded sentences programmes are proposed in."""
    from programs.curation.workspace.reading import folded_name

    names = {folded_name(proposal.name) for proposal in annotation.proposals}
    programs = [proposal for proposal in annotation.proposals if proposal.type == "program"]
    return names, {folded_name(proposal.as_json(annotation.text)["sentence"]) for proposal in programs}


def proposal_row(slug: str, annotation, records_by_type: dict) -> tuple:
    """(slug, proposals, then (found, total, names missed) per type, then for programmes pointed at)."""
    proposed, sentences = proposed_names(annotation)
    row = [slug, len(annotation.proposals)]
    for type_ in CITED_TYPES:
        records = records_by_type[type_]
        missed = [record for named, record in records if not names_of(named, record) & proposed]
        row.append((len(records) - len(missed), len(records), [record.name for record in missed]))
    unpointed = [record for record in missed if not pointed_at(record, slug, sentences)]
    row.append((len(records) - len(unpointed), len(records), [record.name for record in unpointed]))
    return tuple(row)


def proposal_recall(texts: dict[str, str], records_by_source: dict) -> list[tuple]:
    from programs.curation.workspace.annotation import annotate
    from programs.curation.workspace.matcher import Registry

    empty = Registry().compile()
    return [
        proposal_row(slug, annotate(text, similar=False, names=empty), records_by_source[slug])
        for slug, text in texts.items()
    ]


def mention_row(slug: str, text: str, records_by_type: dict) -> tuple:
    """(slug, found, named in the text, names missed) of the cited records whose name appears."""
    from programs.curation.workspace.annotation import annotate
    from programs.curation.workspace.reading import read

    annotation = annotate(text, similar=False)
    folded = read(text).folded
    mentioned = {(record.type, record.slug) for mention in annotation.mentions for record in mention.records}
    named = [
        (named.id, record)
        for records in records_by_type.values()
        for named, record in records
        if any(name in folded for name in names_of(named, record))
    ]
    missed = [record.name for type_, record in named if (type_, record.slug) not in mentioned]
    return slug, len(named) - len(missed), len(named), missed


def mention_recall(texts: dict[str, str], records_by_source: dict) -> list[tuple]:
    return [mention_row(slug, text, records_by_source[slug]) for slug, text in texts.items()]


def recall(articles: Path) -> None:
    from django.core.management import call_command

    with tempfile.TemporaryDirectory(prefix="annotate-bench-") as folder:
        setup_django(f"sqlite:///{folder}/recall.sqlite3")
        call_command("migrate", verbosity=0)
        files = article_files(articles)
        texts = {slug: article_text(path) for slug, path in files.items()}
        call_command("import_fixtures", str(ROOT / "data"), stdout=open(os.devnull, "w"))  # noqa: SIM115
        records = {slug: cited_records(slug) for slug in texts}
        from programs.models import Citation, Organization, Person, Program, Project, Source

        proposals = proposal_recall(texts, records)
        mentions = mention_recall(texts, records)
        sizes = [model.objects.count() for model in (Program, Organization, Person, Project, Source, Citation)]
    log("== Recall on the seed articles\n")
    log("On an empty registry: the cited records the proposals name")
    print_proposals(files, proposals)
    log(
        "\nOn the full registry ({:,} programmes, {:,} organizations, {:,} people, {:,} projects; data/):".format(
            *sizes
        )
    )
    log("the cited records whose name appears in the article, found as mentions")
    print_mentions(files, mentions)


def share(found: int, total: int) -> str:
    return f"{found:>3}/{total:<3} {100 * found / total:5.1f} %" if total else f"{'-':>3}/{0:<3}     - "


def column_totals(rows) -> list[tuple[int, int]]:
    """(found, total) over the articles, per column."""
    cells = [row[2:] for row in rows]
    return [(sum(row[i][0] for row in cells), sum(row[i][1] for row in cells)) for i in range(len(cells[0]))]


def print_proposals(files, rows) -> None:
    columns = ("organizations", "people", "programmes", "or pointed at")
    log(f"{'article':28} {'proposals':>9}  " + "  ".join(f"{column:>17}" for column in columns))
    for slug, count, *found in rows:
        log(f"{files[slug].name:28} {count:>9}  " + "  ".join(f"{share(f, t):>17}" for f, t, _missed in found))
    totals = column_totals(rows)
    log(f"{'all five':28} {'':>9}  " + "  ".join(f"{share(f, t):>17}" for f, t in totals))
    log("organizations and people together: " + share(totals[0][0] + totals[1][0], totals[0][1] + totals[1][1]))
    log("(or pointed at: a programme with a descriptive name counts when a programme is proposed in the sentence")
    log(" its citation quotes)")
    for slug, _count, *found in rows:
        missed = [name for _f, _t, names in found[:-1] for name in names]
        log(f"  not proposed in {files[slug].name}: {'、'.join(missed) or '-'}")


def print_mentions(files, rows) -> None:
    total_found = total = 0
    for slug, found, named, missed in rows:
        log(f"{files[slug].name:28} {share(found, named):>17}   missed: {'、'.join(missed) or '-'}")
        total_found += found
        total += named
    log(f"{'all five':28} {share(total_found, total):>17}")


# 2. Speed and memory at scale


def sample_text(articles: Path) -> str:
    """30,000 characters of the articles, joined (as many times as it takes) and cut."""
    text = "\n\n".join(article_text(path) for path in sorted(articles.glob("*.txt")))
    return (text * (TEXT_CHARS // len(text) + 1))[:TEXT_CHARS]


def resident_bytes() -> int:
    """The process's resident memory now (Linux)."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def scale(articles: Path, database_url: str) -> dict:
    setup_django(database_url)
    from django.db import connection

    from programs.curation.workspace import matcher
    from programs.curation.workspace.annotation import annotate
    from programs.curation.workspace.proposals import add_similar
    from programs.models import Organization, Person, Program, Project

    text = sample_text(articles)
    connection.ensure_connection()  # the check's own cost, not the connection's
    checks = []
    for _run in range(RUNS):
        started = time.perf_counter()
        stamp = matcher.fingerprint()
        checks.append(time.perf_counter() - started)
    before = resident_bytes()
    started = time.perf_counter()
    registry = matcher.build(stamp)
    build_seconds = time.perf_counter() - started
    held = resident_bytes() - before
    annotate(text, similar=False, names=registry)  # warm: OpenCC's and the rules' caches
    timings, similar = [], []
    for _run in range(RUNS):
        started = time.perf_counter()
        annotation = annotate(text, similar=False, names=registry)
        timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        add_similar(annotation.proposals)
        similar.append(time.perf_counter() - started)
    return {
        "programs": Program.objects.count(),
        "organizations": Organization.objects.count(),
        "people": Person.objects.count(),
        "projects": Project.objects.count(),
        "names": len(registry.keys),
        "fingerprint_ms": 1000 * statistics.median(checks),
        "build_s": build_seconds,
        "held_mib": held / 2**20,
        "chars": len(text),
        "mentions": len(annotation.mentions),
        "proposals": len(annotation.proposals),
        "annotate_ms": 1000 * statistics.median(timings),
        "similar_ms": 1000 * statistics.median(similar),
    }


def print_scale(result: dict) -> None:
    log(
        "\n== Speed at scale: {programs:,} programmes, {organizations:,} organizations, {people:,} people, "
        "{projects:,} projects (PostgreSQL)\n".format(**result)
    )
    log("matcher: {names:,} names; built in {build_s:.1f} s (target ≤ 10 s)".format(**result))
    log("         the process grew by {held_mib:.0f} MiB (resident memory) to hold it".format(**result))
    log(
        "         its freshness check (is it still the database's?) takes {fingerprint_ms:.2f} ms "
        "(median of five, connected)".format(**result)
    )
    log(
        "annotating {chars:,} characters: {annotate_ms:.0f} ms (target ≤ 300 ms; median of five), "
        "{mentions:,} mentions, {proposals:,} proposals".format(**result)
    )
    log("the proposals' nearest records (reconciliation queries, batches of 100): {similar_ms:.0f} ms".format(**result))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", type=Path, help="the folder of the seed articles")
    parser.add_argument("--programs", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "tracker-bench")
    parser.add_argument("--port", type=int, default=54400)
    parser.add_argument("--skip", nargs="*", default=[], choices=["recall", "scale"])
    parser.add_argument("--scale-worker", help=argparse.SUPPRESS)  # the database URL, in a process of its own
    options = parser.parse_args()
    if options.scale_worker:
        print(json.dumps(scale(options.articles, options.scale_worker)))
        return
    if "recall" not in options.skip:
        recall(options.articles)
    if "scale" not in options.skip:
        from bench.run import Server, seed

        server = Server(options.data_dir, options.port)
        server.start()
        try:
            env = seed(server, f"bench_{options.programs}", options.programs, options.data_dir / "static")
            worker = [sys.executable, __file__, str(options.articles), "--scale-worker", env["DATABASE_URL"]]
            out = subprocess.run(worker, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
            print_scale(json.loads(out.strip().splitlines()[-1]))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
