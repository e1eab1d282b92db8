"""/data/: the releases of the configured folder, their files and checksums, and downloads of those files only."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def releases(settings, tmp_path):
    root = tmp_path / "releases"
    root.mkdir()
    settings.DATA_RELEASES_DIR = root
    f.ProgramFactory(slug="lab")
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("export_release", str(root / "2026-01"), **quiet)
    call_command("export_release", str(root / "2026-02"), "--previous", str(root / "2026-01"), **quiet)
    (root / "not-a-release").mkdir()
    (tmp_path / "secret.txt").write_text("outside")
    return root


def test_the_page_lists_each_release_newest_first_with_sizes_and_checksums(client, releases):
    response = client.get("/en" + reverse("programs:data"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]  # the folder changes without a data write
    assert html.index("Release 2 (") < html.index("Release 1 (")
    manifest = (releases / "2026-02" / "SHA256SUMS").read_text()
    for line in manifest.splitlines():
        digest, name = line.split("  ")
        assert reverse("programs:data-file", args=["2026-02", name]) in html
        assert digest in html or name == "manifest.json"  # the manifest lists the others' checksums
    assert "not-a-release" not in html


def test_a_listed_file_downloads(client, releases):
    response = client.get(reverse("programs:data-file", args=["2026-01", "programs.jsonl"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (releases / "2026-01" / "programs.jsonl").read_bytes()
    assert response["Content-Disposition"] == 'attachment; filename="programs.jsonl"'


@pytest.mark.parametrize(
    "path",
    [
        "/data/2026-01/..%2F..%2Fsecret.txt",
        "/data/..%2Fsecret.txt/x",
        "/data/2026-01/%2E%2E",
        "/data/not-a-release/SHA256SUMS",
        "/data/2026-01/nothing.csv",
        "/data/2026-03/programs.csv",
        "/data/.2026-01/programs.csv",
    ],
)
def test_nothing_else_is_served(client, releases, path):
    assert client.get(path).status_code == 404


def test_without_releases_the_page_says_so(client, settings, tmp_path):
    settings.DATA_RELEASES_DIR = tmp_path / "missing"
    assert "No release has been published yet." in client.get("/en" + reverse("programs:data")).content.decode()
