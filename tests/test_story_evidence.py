"""What clustering reads from one report: datelines, names, tolls, kinds of event, language.
Every sentence here is ours."""

from __future__ import annotations

import pytest

from bot.stories.dateline import outside_dateline, report_span, report_text
from bot.stories.lexicon import EVENT_STEMS, event_kinds, families, given_kinds, kinds_in
from bot.stories.names import named_events, names, rarity
from bot.stories.text import content_words, language
from bot.stories.tolls import same_toll, toll

# -- datelines and boilerplate -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dateline", "starts"),
    [
        ("NAIROBI, Kenya (Reuters) — Gunmen attacked a bus.", "NAIROBI, Kenya", "Gunmen"),
        ("OUAGADOUGOU, May 3 (Reuters) - Gunmen killed 12 soldiers.", "OUAGADOUGOU", "Gunmen"),
        ("BAMAKO, Mali (AP) — Jihadists raided a village.", "BAMAKO, Mali", "Jihadists"),
        ("Bamako (AFP) - Neuf civils ont été tués.", "Bamako", "Neuf"),
        ("N'Djamena (AFP) - Vingt soldats ont été tués.", "N'Djamena", "Vingt"),
        ("Kinshasa, 12 mai (AFP) - Seize déplacés ont été tués.", "Kinshasa", "Seize"),
        ("Addis Ababa -- The prime minister met investors.", "Addis Ababa", "The prime"),
        ("[ENA] Addis Ababa -- The prime minister met investors.", "Addis Ababa", "The prime"),
        ("[IPS] Rome & Nairobi -- Hunger is rising.", "Rome & Nairobi", "Hunger"),
        ("[Chatham House] The fighting in the east goes on.", "", "The fighting"),
        ("By Jane Doe\nCAIRO (AP) — A drone hit a wedding.", "CAIRO", "A drone"),
    ],
)
def test_datelines_outlet_prefixes_and_bylines_are_cut(text: str, dateline: str, starts: str) -> None:
    span = report_span(text)
    assert span.dateline == dateline
    assert text[span.start :].startswith(starts)


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen killed 12 - a local official said - in the night.",
        "Mali - the army says it repelled an attack.",
        "Des hommes armés ont pris d'assaut le poste samedi.",
    ],
)
def test_ordinary_sentences_have_no_dateline(text: str) -> None:
    assert report_span(text).start == 0 and report_span(text).dateline == ""


def test_read_more_and_credits_end_the_report() -> None:
    text = "Gunmen killed 12 soldiers near Djibo on Saturday. Read more: the war in the Sahel"
    assert report_text(text) == "Gunmen killed 12 soldiers near Djibo on Saturday. "
    assert "Editing" not in report_text("NIAMEY (Reuters) - Militants ambushed a convoy. Editing by Jane Doe")


def test_a_place_named_only_in_the_dateline_is_left_out() -> None:
    text = "NIAMEY, Niger (AP) — Militants ambushed a convoy near Tera on Tuesday."
    kept = outside_dateline(frozenset({"Niamey", "Tera"}), "Convoy ambushed in western Niger", text)
    assert kept == frozenset({"Tera"})
    # Named again in the report itself, or in the headline: it counts.
    again = "NIAMEY, Niger (AP) — Protesters marched in Niamey on Tuesday."
    assert outside_dateline(frozenset({"Niamey"}), "March in the capital", again) == frozenset({"Niamey"})
    assert outside_dateline(frozenset({"Niamey"}), "Niamey march", text) == frozenset({"Niamey"})


# -- names and named events ------------------------------------------------------------------


def test_names_in_running_text_and_in_title_case_headlines() -> None:
    found = names("Djibouti's Youssouf Beats Odinga to AU Commission Chair", "", "en")
    assert {"djibouti", "youssouf", "odinga", "au"} <= found
    assert not {"beat", "commission", "chair"} & found  # Title Case capitals say nothing
    lead = "Gunmen killed 12 soldiers near Djibo in Burkina Faso, security sources said."
    assert names("Soldiers killed in attack", lead, "en") == {"djibo", "burkina", "faso"}
    # "Burkina Faso" opening a French headline is one name, not a sentence's first word.
    assert {"burkina", "faso", "djibo"} <= names("Burkina Faso : douze soldats tués près de Djibo", "", "fr")


def test_outlet_names_are_not_names() -> None:
    found = names("Rebels seize town", "The army told Reuters and Al Jazeera that Uvira fell.", "en")
    assert "uvira" in found and not {"reuter", "jazeera"} & found


def test_a_name_the_language_hardly_knows_is_rarer_than_a_famous_one() -> None:
    assert rarity("banibangou", "en") == 1.0
    assert rarity("nigeria", "en") < 0.2 < rarity("boko", "en") < 1.0


def test_a_named_event_is_one_key_in_english_and_french() -> None:
    en_title, fr_title = "Derna floods: aid arrives", "Libye : après les inondations de Derna"
    en = named_events(en_title, "", names(en_title, "", "en"), "en")
    fr = named_events(fr_title, "", names(fr_title, "", "fr"), "fr")
    assert en == fr == {"disaster:derna"}
    storm = "Storm Daniel hit the coast"
    assert named_events(storm, "", names(storm, "", "en"), "en") == {"disaster:daniel"}
    # A country or a common word before "attack" names no event.
    common = "Nigeria attack: what we know"
    assert named_events(common, "", names(common, "", "en"), "en") == frozenset()


# -- tolls -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "count"),
    [
        ("Gunmen kill 12 soldiers in attack on army post", "en", 12),
        ("Suicide bomber kills seven at market", "en", 7),
        ("Militants killed at least twenty two villagers", "en", 22),
        ("Death toll from the hotel assault rises to 19", "en", 19),
        ("Gunmen abduct 25 students from school", "en", 25),
        ("au moins douze militaires tués dans l'attaque", "fr", 12),
        ("Vingt-deux soldats tchadiens ont été tués", "fr", 22),
        ("Huit personnes ont été tuées dans la nuit", "fr", 8),
        ("une quarantaine de passagers enlevés", "fr", 40),
        ("Central bank raises key rate to 29%", "en", None),
        ("Magnitude 6.8 earthquake strikes in 2025", "en", None),
    ],
)
def test_tolls_in_english_and_french(text: str, lang: str, count: int | None) -> None:
    assert toll(text, lang) == count


def test_same_toll_allows_a_round_figure_only_for_big_numbers() -> None:
    assert same_toll(12, 12) and same_toll(40, 42)
    assert not same_toll(7, 8) and not same_toll(12, None)


# -- kinds of event, words, language ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("Gunmen kill 12 soldiers in attack on army post", "violence"),
        ("Niger : vingt soldats tués dans une embuscade", "violence"),
        ("Food convoy reaches besieged Djibo", "aid"),
        ("Floods cut road between Maiduguri and Konduga", "disaster"),
        ("Somalie : des inondations déplacent des milliers de familles", "disaster"),
        ("New clinic opens in Banibangou", "health"),
        ("Bridge inaugurated in Kaura Namoda", "civic"),
        ("Nigeria : 25 élèves enlevés dans une école", "kidnapping"),
        ("Explosion at fuel depot in Conakry", "blast"),  # an attack or an accident
        ("Insurgents overrun army camp in Yobe", "violence"),
        ("Militants seize military outpost and seizes town of Geidam", "violence"),
    ],
)
def test_kinds_of_event_in_english_and_french(text: str, family: str) -> None:
    assert family in families(kinds_in(text))


def test_the_event_stage_names_kinds_its_own_way() -> None:
    assert given_kinds("air_strike") == {"airstrike"}
    assert given_kinds("abduction") == {"kidnapping"} and given_kinds("battle") == {"clash"}
    assert given_kinds("flood") == {"flood"} and given_kinds("drone strike") == {"airstrike"}
    # Saying no more than the text does: the text is read instead.
    assert given_kinds("displacement") is None and given_kinds("none") is None


def test_summaries_keep_their_english_security_words() -> None:
    # summarize.py reads these: the move to events.yaml must not change them.
    assert list(EVENT_STEMS)[:3] == ["IED", "suicide bombing", "airstrike"]
    assert "explosion" in EVENT_STEMS["bombing"] and "embuscade" not in EVENT_STEMS["ambush"]
    assert [k for k, _, _ in event_kinds("An IED attack and an ambush")] == ["IED", "ambush", "attack"]


def test_words_are_shared_across_spellings_numbers_and_languages() -> None:
    en = set(content_words("Gunmen kill twelve soldiers in attack near Djibo", "en"))
    fr = set(content_words("Douze soldats tués dans l'attaque d'un poste près de Djibo", "fr"))
    assert {"12", "#attack", "djibo"} <= en & fr
    # "seize" is sixteen in French and a verb in English.
    assert "16" in content_words("Seize déplacés tués", "fr")
    assert "16" not in content_words("Rebels seize the town", "en")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Gunmen kill 12 soldiers in attack on army post", "en"),
        ("Tchad : 22 soldats tués", "fr"),
        ("RDC : l'AFC/M23 s'empare d'Uvira", "fr"),
        ("Burkina Faso junta leader Traoré reshuffles cabinet", "en"),  # an accented name
        ("Uvira falls to M23 rebels", "en"),
    ],
)
def test_language_of_short_headlines(text: str, lang: str) -> None:
    assert language(text) == lang
