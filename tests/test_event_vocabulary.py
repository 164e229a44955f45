"""The event vocabulary file: its forms expand as written and a bad file says what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.config import ConfigError
from bot.event import classify, load_vocabulary
from bot.event.vocabulary import DEFAULT_PATH, expand


def test_braces_spell_out_word_forms() -> None:
    assert expand("kill{,s,ed}") == ["kill", "kills", "killed"]
    assert expand("{armed,gun} m{a,e}n") == ["armed man", "armed men", "gun man", "gun men"]
    with pytest.raises(ValueError, match="unbalanced"):
        expand("kill{s")
    with pytest.raises(ValueError, match="phrases"):
        expand("{a,b,c,d,e,f,g,h,i,j}" * 4)


def test_the_shipped_vocabulary_loads_and_has_every_kind() -> None:
    vocabulary = load_vocabulary()
    assert vocabulary.kinds[0] == "air_strike"
    assert {"battle", "attack", "abduction", "coup", "unrest", "arrest", "displacement", "strategic"} <= set(
        vocabulary.kinds
    )
    kinds_used = {c.kind for cues in vocabulary.cues for c in cues if c.cls == "event"}
    assert kinds_used == set(vocabulary.kinds)
    # Both languages have event words of each kind.
    for lang in ("en", "fr"):
        assert {
            c.kind for cues in vocabulary.cues for c in cues if c.cls == "event" and c.lang == lang
        } == set(vocabulary.kinds)


def _write(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "vocabulary.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["cues"][0].update(kind="bombing"), "cues[0]: unknown kind 'bombing'"),
        (lambda d: d["cues"][0].update(colour="red"), "cues[0].colour: unknown field"),
        (
            lambda d: d["cues"].append({"class": "topic", "topic": "sport", "weight": 2, "en": "goal"}),
            "negative",
        ),
        (lambda d: d["cues"].append({"class": "event", "kind": "attack", "weight": 1}), "no phrases"),
        (lambda d: d["cues"].append({"class": "actor", "weight": 1, "en": "rebel{s"}), "unbalanced"),
        (lambda d: d["cues"].append({"class": "actor", "weight": 1, "en": "—"}), "no words once folded"),
        (lambda d: d.pop("threshold"), "threshold: required field is missing"),
        (lambda d: d.update(version=2), "version"),
    ],
)
def test_a_bad_vocabulary_names_file_field_and_problem(tmp_path: Path, change, message: str) -> None:
    path = _write(tmp_path, change)
    with pytest.raises(ConfigError) as e:
        load_vocabulary(path)
    assert str(path) in str(e.value)
    assert message in str(e.value)


def test_a_changed_vocabulary_changes_decisions(tmp_path: Path) -> None:
    text = "Zorblat reported in the valley\nResidents stayed home."
    assert not classify(text).security

    def add(d: dict) -> None:
        d["cues"].append({"class": "event", "kind": "attack", "weight": 3, "en": "zorblat"})

    vocabulary = load_vocabulary(_write(tmp_path, add))
    event = classify(text, vocabulary=vocabulary)
    assert event.security and event.kind == "attack"
    assert event.evidence[0].text == "Zorblat"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(weak_topics=["gossip"]), "weak_topics: unknown topic 'gossip'"),
        (
            lambda d: d["cues"].append({"class": "actor", "weight": 1, "frames": True, "en": "x"}),
            "frames belong to topic cues only",
        ),
        (lambda d: d.update(occasion_kinds=["parade"]), "occasion_kinds: unknown kind 'parade'"),
        (lambda d: d.update(explainer_topics=["gossip"]), "explainer_topics: unknown topic 'gossip'"),
        (lambda d: d.update(explainer_kinds=["parade"]), "explainer_kinds: unknown kind 'parade'"),
        (
            lambda d: d["cues"].append({"class": "actor", "weight": 1, "unframed": True, "en": "x"}),
            "unframed belong to event cues only",
        ),
    ],
)
def test_second_round_settings_are_checked(tmp_path: Path, change, message: str) -> None:
    with pytest.raises(ConfigError) as e:
        load_vocabulary(_write(tmp_path, change))
    assert message in str(e.value)
