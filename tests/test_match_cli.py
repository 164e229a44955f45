"""`match`, `where`, `who` and `gazetteer import` through click, on real data."""

from __future__ import annotations

import json
import os

import orjson
import pytest
from click.testing import CliRunner

from bot.cli.match import COMMANDS, gazetteer, match_cmd, where_cmd, who_cmd
from bot.match import batch
from bot.match.output import Lines
from tests.match_support import INDEX_DIR, REPO, matcher

CONFIG = ["--config", str(REPO / "config"), "--data-dir", str(INDEX_DIR)]


@pytest.fixture(scope="module", autouse=True)
def built_index():
    matcher()  # build once (shared with test_match.py)


def run(cmd, args, stdin=None):
    return CliRunner().invoke(cmd, args, input=stdin)


def test_every_command_has_help():
    for cmd in COMMANDS:
        assert cmd.help
        assert run(cmd, ["--help"]).exit_code == 0
    assert run(gazetteer, ["import", "--help"]).exit_code == 0


def test_match_contract_keeps_order_and_spans():
    lines = [
        {"id": "a", "text": "JNIM attacked the army camp in Boulikessi, Mali."},
        {"id": 2, "text": "Nothing to see here."},
    ]
    out = run(match_cmd, CONFIG, "\n".join(json.dumps(x) for x in lines) + "\n")
    assert out.exit_code == 0, out.output
    rows = [json.loads(x) for x in out.output.splitlines()]
    assert [r["id"] for r in rows] == ["a", 2]
    first = rows[0]
    assert first["countries"] == ["ML"]
    assert first["admin1"] == [{"country": "ML", "name": "Mopti"}]
    [place] = first["places"]
    assert lines[0]["text"][slice(*place["span"])] == "Boulikessi"
    assert {"Sahel", "Liptako-Gourma"} <= set(first["regions"])
    assert first["groups"][0]["name"] == "JNIM" and first["groups"][0]["affiliation"] == "al-Qaeda"
    assert rows[1]["places"] == [] and rows[1]["groups"] == []


def test_match_explain_names_the_rule(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "teams.yaml").write_text(
        "teams:\n  - name: sahel\n    channel: '#sahel'\n    watch: {regions: [Sahel]}\n"
        "  - name: somalia\n    channel: '#so'\n    watch: {regions: [Somalia]}\n"
    )
    text = json.dumps({"id": "x", "text": "JNIM attacked the army camp in Boulikessi, Mali."})
    matcher()  # the same inputs, so the command loads this index (a first build logs progress)
    out = run(match_cmd, ["--config", str(config), "--data-dir", str(INDEX_DIR), "--explain"], text)
    assert out.exit_code == 0, out.output
    explain = json.loads(out.output)["explain"]
    # Issue 16: each team says whether it gets a card under its topics, and what made it an event.
    assert explain["teams"] == [
        {
            "team": "sahel",
            "reasons": [
                'region "Sahel" ← Boulikessi (Mopti, ML)',
                'security event — attack: "JNIM attacked the army camp"',
            ],
            "card": True,
        }
    ]
    assert explain["groups"] == ["JNIM — al-Qaeda affiliate"]


def test_match_rejects_bad_lines():
    out = run(match_cmd, CONFIG, "not json\n")
    assert out.exit_code == 2
    assert "line 1: not JSON" in out.output
    out = run(match_cmd, CONFIG, json.dumps({"id": 1, "text": 5}) + "\n")
    assert out.exit_code == 2


def test_match_echoes_any_json_id_exactly():
    ids = [2**70, "é", 1.5, None, [1, "a"]]
    stdin = "".join(json.dumps({"id": i, "text": "Clashes in Mopti."}) + "\n" for i in ids)
    out = run(match_cmd, CONFIG, stdin + '{"id": "nan", "text": "Mopti", "score": NaN}\n')
    assert out.exit_code == 0, out.output
    rows = [json.loads(x) for x in out.output.splitlines()]
    assert [r["id"] for r in rows] == [*ids, "nan"]
    assert all(r["countries"] == ["ML"] for r in rows)


def test_output_lines_are_what_orjson_makes_of_to_json():
    texts = [
        "JNIM attacked the army camp in Boulikessi, Mali.",
        "NAIROBI, Kenya (Reuters) - Al-Shabaab fighters stormed a base near Kismayo; the SNA repelled them.",
        "Gunmen killed 4 people in the village of Sananga (Oula, Yatenga), Burkina Faso.",
        "Attaque à Ségou et à Mopti: l'armée malienne (FAMa) riposte.",
        "Taliban gunmen kill five policemen at a checkpoint",
        "Nothing to see here.",
    ]
    lines = Lines()
    for i, text in enumerate(texts * 2):  # the second round from cached fragments
        mentions = matcher().mentions(text)
        assert lines.line(i, mentions) == orjson.dumps(mentions.to_json(i), option=orjson.OPT_APPEND_NEWLINE)
    assert matcher().mentions(texts[1]).dateline is not None
    assert any(g.state for g in matcher().mentions(texts[1]).groups)
    assert matcher().mentions(texts[4]).implied  # the field written only when there is one


def test_match_in_worker_processes_keeps_order_and_output():
    texts = [
        "JNIM attacked the army camp in Boulikessi, Mali.",
        "Gunmen killed 4 people in the village of Sananga (Oula, Yatenga) on Monday.",
        "Nothing to see here.",
        "Al-Shabaab fighters stormed a base near Kismayo, Somalia.",
    ]
    n = 2 * batch.CHUNK + 7  # three chunks: the command starts its workers
    stdin = "".join(json.dumps({"id": i, "text": f"{texts[i % 4]} ({i})"}) + "\n" for i in range(n))
    alone = run(match_cmd, [*CONFIG, "--jobs", "1"], stdin)
    shared = run(match_cmd, [*CONFIG, "--jobs", "2"], stdin)
    assert alone.exit_code == 0 and shared.exit_code == 0, shared.output
    assert shared.output == alone.output
    rows = [json.loads(x) for x in shared.output.splitlines()]
    assert [r["id"] for r in rows] == list(range(n))
    assert all(r["countries"] == ["ML"] for r in rows[::4]) and not any(r["countries"] for r in rows[2::4])


def test_match_in_workers_stops_at_a_bad_line_after_writing_the_ones_before():
    good = json.dumps({"id": "g", "text": "Clashes in Mopti."}) + "\n"
    stdin = good * 900 + "not json\n" + good * 10
    out = run(match_cmd, [*CONFIG, "--jobs", "2"], stdin)
    assert out.exit_code == 2
    assert "stdin line 901: not JSON" in out.output
    assert out.output.count('"id":"g"') == 900


def test_batch_spreads_chunks_over_workers_in_order():
    lines = [f"{i}".encode() for i in range(60)] + [b"  "]

    def render(line: bytes, n: int) -> bytes:
        return f"{int(line) * 2} {n} {os.getpid()}\n".encode()

    out: list[bytes] = []
    batch.run(lines, render, out.append, workers=2, chunk=5)
    rows = [x.split() for x in b"".join(out).decode().splitlines()]
    assert [(int(a), int(b)) for a, b, _ in rows] == [(2 * i, i + 1) for i in range(60)]
    pids = {pid for _, _, pid in rows}
    assert str(os.getpid()) not in pids and len(pids) <= 2  # forked workers did the work


def test_where_prints_admin1_country_regions():
    out = run(where_cmd, ["Boulikessi", *CONFIG])
    assert out.exit_code == 0
    assert out.output.startswith("Boulikessi: Mopti, Mali (ML)")
    assert "Liptako-Gourma" in out.output
    missing = run(where_cmd, ["Xyzzyville", *CONFIG])
    assert missing.exit_code == 1 and "no place called" in missing.output


def test_who_prints_affiliation():
    out = run(who_cmd, ["GSIM", *CONFIG])
    assert out.exit_code == 0
    assert out.output.splitlines()[0] == "JNIM — al-Qaeda affiliate"
    # the catalogue holds "l'Islam" and "l'islam" for the scan; the reader sees one of them
    aliases = out.output.splitlines()[1].removeprefix("  aliases: ").split(", ")
    assert "Groupe de soutien à l'Islam et aux musulmans" in aliases
    assert len({a.casefold() for a in aliases}) == len(aliases)


def test_import_rejects_a_file_that_is_not_a_dump(tmp_path):
    bad = tmp_path / "XX.txt"
    bad.write_text("just\tthree\tcolumns\n")
    data = tmp_path / "data"
    out = run(gazetteer, ["import", str(bad), "--config", str(REPO / "config"), "--data-dir", str(data)])
    assert out.exit_code == 2
    assert "not a GeoNames country dump" in out.output
    assert not data.exists()  # nothing changed


def test_import_real_dump_and_the_boulikessi_trap(tmp_path):
    dump = REPO / "tests" / "fixtures" / "geonames-bf" / "BF.txt"  # rows as GeoNames ships them
    data = tmp_path / "data"
    out = run(gazetteer, ["import", str(dump), "--config", str(REPO / "config"), "--data-dir", str(data)])
    assert out.exit_code == 0, out.output
    assert "imported 4 places and 3 administrative divisions from BF.txt" in out.output
    from bot.match.matcher import Matcher

    m = Matcher.load(REPO / "config", data)
    countries = {p.country for p in m.where("Boulikessi")}
    assert countries == {"ML", "BF"}  # GeoNames' Burkinabè village and our Malian camp
    mali = m.mentions("The army camp in Boulikessi, Mali, was overrun.")
    assert [(p.name, p.country) for p in mali.places] == [("Boulikessi", "ML")]
    burkina = m.mentions("Herders fled Boulikéssi, in Burkina Faso's Sahel region.")
    assert [(p.country, p.admin1) for p in burkina.places] == [("BF", "Sahel")]
