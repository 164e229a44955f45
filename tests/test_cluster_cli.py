"""The offline `cluster` command: same stories as the live clusterer, clear errors."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.stories import cluster
from bot.stories import Clusterer, StoryDoc
from tests.news import jsonl

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def feed_lines() -> list[str]:
    """BBC Africa entries as the command's input lines."""
    lines = []
    for e in jsonl("bbc-africa.jsonl"):
        item = {
            "id": e["link"],
            "title": html.unescape(e["title"]),
            "text": html.unescape(e["description"]),
            "source": "bbc-africa",
            "published": e["date_published"],
        }
        lines.append(json.dumps(item))
    return lines


def test_cluster_command_matches_the_live_clusterer(feed_lines: list[str]) -> None:
    result = CliRunner().invoke(cluster, ["--no-match"], input="\n".join(feed_lines) + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    live = Clusterer()
    expected = []
    for line in feed_lines:
        row = json.loads(line)
        when = datetime.fromisoformat(row["published"])
        doc = StoryDoc(row["id"], row["title"], row["text"], row["source"], when)
        expected.append({"id": row["id"], "story": live.add(doc).story_id})
    assert out == expected
    assert all(set(r) == {"id", "story"} for r in out)


def test_cluster_uses_places_from_match_output() -> None:
    lines = [
        {
            "id": "a",
            "title": "JNIM claims Boulikessi attack",
            "published": "2024-06-03T06:00Z",
            "places": [{"name": "Boulikessi", "country": "ML"}],
            "countries": ["ML"],
        },
        {
            "id": "b",
            "title": "Mali army says it repelled assault in Boulikessi",
            "published": "2024-06-03T09:00Z",
            "places": ["Boulikessi"],
            "countries": ["ML"],
        },
        {
            "id": "c",
            "title": "JNIM claims Boulikessi attack",
            "published": "2024-07-10T09:00Z",
            "places": ["Boulikessi"],
            "countries": ["ML"],
        },
    ]
    text = "\n".join(json.dumps(x) for x in lines)
    result = CliRunner().invoke(cluster, ["--explain", "--no-match"], input=text)
    assert result.exit_code == 0, result.output
    a, b, c = (json.loads(line) for line in result.stdout.splitlines())
    assert a["story"] == b["story"] != c["story"]
    assert "boulikessi" in b["reason"] and not b["is_new"]


def test_without_places_the_matcher_finds_them(data_dir: Path) -> None:
    lines = [
        {"id": "a", "title": "JNIM claims Boulikessi attack", "published": "2024-06-03T06:00Z"},
        {
            "id": "b",
            "title": "Mali army says it repelled assault in Boulikessi",
            "published": "2024-06-03T09:00Z",
        },
        {
            "id": "c",
            "title": "Al-Shabaab fighters attack army base in Somalia",
            "published": "2024-06-03T10:00Z",
        },
    ]
    env = {"LOOKOUT_DATA_DIR": str(data_dir), "LOOKOUT_CONFIG": str(ROOT / "config")}
    text = "\n".join(json.dumps(x) for x in lines)
    result = CliRunner().invoke(cluster, ["--explain"], input=text, env=env)
    assert result.exit_code == 0, result.output
    a, b, c = (json.loads(line) for line in result.stdout.splitlines())
    assert a["story"] == b["story"] != c["story"]
    assert "place boulikessi" in b["reason"]


def test_explain_shows_the_evidence_for_and_against_the_best_story() -> None:
    # An English and a French report of one attack join; a report of a flood in the same
    # town does not, and the explanation says why in both cases.
    djibo = {"places": ["Djibo"], "countries": ["BF"]}
    lines = [
        {
            "id": "en",
            "title": "Gunmen kill 12 soldiers in attack on army post near Djibo",
            "text": "OUAGADOUGOU, May 3 (Reuters) - Gunmen killed 12 soldiers near Djibo, sources said.",
            "published": "2025-05-03T06:00Z",
            **djibo,
        },
        {
            "id": "fr",
            "title": "Burkina : douze soldats tués dans l'attaque d'un poste près de Djibo",
            "text": "Douze militaires ont été tués samedi dans l'attaque d'un poste près de Djibo.",
            "published": "2025-05-03T13:00Z",
            **djibo,
        },
        {
            "id": "flood",
            "title": "Floods cut the road to Djibo",
            "text": "Heavy rain washed away a bridge on the road to Djibo on Sunday.",
            "published": "2025-05-04T09:00Z",
            **djibo,
        },
    ]
    text = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines)
    result = CliRunner().invoke(cluster, ["--explain", "--no-match"], input=text)
    assert result.exit_code == 0, result.output
    en, fr, flood = (json.loads(line) for line in result.stdout.splitlines())
    assert en["is_new"] and en["evidence"] is None
    assert fr["story"] == en["story"] and not fr["is_new"]
    ev = fr["evidence"]
    assert ev["cross_language"] and ev["nearest"] == "en" and "djibo" in ev["names"]
    assert {"place djibo", "toll 12"} <= set(ev["adjustments"]) and ev["blocked"] is None
    assert flood["is_new"] and flood["evidence"]["story"] == en["story"]
    assert "kinds of event differ" in flood["evidence"]["blocked"]


def test_lines_can_carry_what_the_event_stage_found() -> None:
    base = {"places": ["Djibo"], "countries": ["BF"], "admin1": ["Sahel"]}
    lines = [
        {
            "id": "a",
            "title": "Night of violence in Djibo",
            "text": "Gunmen stormed Djibo overnight and seized 12 residents.",
            "kind": "abduction",
            "toll": 12,
            "language": "en",
            **base,
        },
        {
            "id": "b",
            "title": "Djibo: the morning after",
            "text": "Residents of Djibo counted the damage after the attack.",
            "kind": "attack",
            **base,
        },
    ]
    text = "\n".join(json.dumps(x) for x in lines)
    result = CliRunner().invoke(cluster, ["--explain", "--no-match"], input=text)
    assert result.exit_code == 0, result.output
    a, b = (json.loads(line) for line in result.stdout.splitlines())
    assert a["is_new"] and b["is_new"] and b["evidence"]["story"] == a["story"]
    # The first sentences name an attack each; the event stage tells the abduction apart.
    assert "kinds of event differ" in b["evidence"]["blocked"]


def test_a_broken_config_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "regions.yaml").write_text("regions: [", encoding="utf-8")
    env = {"LOOKOUT_DATA_DIR": str(tmp_path / "data"), "LOOKOUT_CONFIG": str(tmp_path)}
    result = CliRunner().invoke(cluster, input='{"id": "a", "title": "x"}\n', env=env)
    assert result.exit_code == 2
    assert "--no-match" in result.stderr


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 1: not JSON"),
        ("[1, 2]", "line 1: expected a JSON object"),
        ('{"title": "x"}', "line 1: missing id"),
        ('{"id": "a", "title": "x", "published": "yesterday"}', "is not ISO 8601"),
        ('{"id": "a", "title": "x", "places": "Goma"}', "places must be a list"),
        ('{"id": "a", "title": "x", "toll": -3}', "toll must be a whole number"),
        ('{"id": "a", "title": "x", "toll": "12"}', "toll must be a whole number"),
        ('{"id": "a", "title": "x", "kind": 3}', "kind must be a string"),
    ],
)
def test_bad_lines_fail_with_one_line_naming_the_line(line: str, message: str) -> None:
    result = CliRunner().invoke(cluster, ["--no-match"], input=line + "\n")
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_option_is_a_usage_error_and_help_works() -> None:
    assert CliRunner().invoke(cluster, ["--window", "0"]).exit_code == 2
    helped = CliRunner().invoke(cluster, ["--help"])
    assert helped.exit_code == 0 and "stories" in helped.output


def test_module_runs_as_a_program_on_stdin() -> None:
    item = {"id": "x", "title": "Philippine troops kill five Abu Sayyaf gunmen"}
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli.stories", "--no-match"],
        input=json.dumps(item) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["id"] == "x"
