"""Dedup keys and story clustering, on headlines and feed entries we wrote (tests/fixtures/news)."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import URLError
from bot.stories import Clusterer, StoryDoc, canonical_url, content_key, story_id_for
from bot.stories.similarity import DocFrequencies, set_cosine
from tests.news import SEED_TITLE, events, headline, jsonl, seed_text

T0 = datetime(2024, 6, 3, 6, 0, tzinfo=UTC)


def _doc(i: str, title: str, hours: float = 0, **kw) -> StoryDoc:
    kw.setdefault("text", "")
    kw.setdefault("source", "test")
    return StoryDoc(id=i, title=title, published=T0 + timedelta(hours=hours), **kw)


# -- canonical URLs and content keys ---------------------------------------------------


BBC = "https://www.bbc.com/news/articles/c30del8dz51o"  # a real link from the BBC Africa feed


@pytest.mark.parametrize(
    "variant",
    [
        BBC,
        BBC + "?at_medium=RSS&at_campaign=rss",
        BBC + "?utm_source=twitter&utm_medium=social#comments",
        BBC + "?fbclid=IwAR0abc&gclid=xyz",
        "https://WWW.BBC.COM:443/news/articles/c30del8dz51o",
        "http://www.bbc.com:80/news/articles/c30del8dz51o",
        "https://m.bbc.com/news/articles/c30del8dz51o",
        "https://amp.bbc.com/news/articles/c30del8dz51o",
        "https://www.bbc.com/news/articles/c30del8dz51o/amp",
        "https://www.bbc.com/amp/news/articles/c30del8dz51o",
        BBC + "?amp",
        BBC + "?output=amp",
        "https://www.bbc.com/news/articles/c30del8dz51o.amp",
    ],
)
def test_variants_of_one_article_share_a_canonical_url(variant: str) -> None:
    assert canonical_url(variant) == canonical_url(BBC)


def test_canonical_url_keeps_what_names_the_article() -> None:
    a = canonical_url("https://example.org/story.php?id=12&utm_source=x")
    b = canonical_url("https://example.org/story.php?id=13")
    assert a != b
    assert "id=12" in a
    assert "utm" not in a


@pytest.mark.parametrize("bad", ["", "not a url", "ftp://example.org/x", "https://"])
def test_canonical_url_rejects_non_http(bad: str) -> None:
    with pytest.raises(URLError, match="not an http"):
        canonical_url(bad)


def test_content_key_ignores_case_spacing_accents_and_punctuation() -> None:
    a = content_key("Mali: Attack in Ségou", "Gunmen  attacked the town.\n")
    b = content_key("mali attack in segou", "gunmen attacked the town")
    assert a == b
    assert a != content_key("Mali: Attack in Mopti", "Gunmen attacked the town.")


def test_content_key_needs_some_text() -> None:
    with pytest.raises(ValueError, match="title or a text"):
        content_key(" ", "")


def test_transliterations_count_as_one_word_and_opposites_do_not() -> None:
    df = DocFrequencies()
    lisi, lysy = frozenset({"lisichansk", "shelling"}), frozenset({"lysychansk", "shelling"})
    east, west = frozenset({"eastern", "shelling"}), frozenset({"western", "shelling"})
    for words in (lisi, lysy, east, west):
        df.add(words)
    assert set_cosine(lisi, lysy, df.weight) == pytest.approx(1.0)
    assert set_cosine(east, west, df.weight) < 0.6


# -- clustering: the cases -------------------------------------------------------


def test_claim_and_army_statement_about_one_attack_join() -> None:
    c = Clusterer()
    first = c.add(
        _doc(
            "a",
            "JNIM claims Boulikessi attack",
            places=frozenset({"Boulikessi"}),
            groups=frozenset({"JNIM"}),
            countries=frozenset({"ML"}),
        )
    )
    second = c.add(
        _doc(
            "b",
            "Mali army says it repelled assault in Boulikessi",
            hours=5,
            places=frozenset({"Boulikessi"}),
            countries=frozenset({"ML"}),
        )
    )
    assert first.is_new and not second.is_new
    assert second.story_id == first.story_id == story_id_for("a")
    assert "boulikessi" in second.reason


def test_same_place_a_month_later_is_a_new_story() -> None:
    c = Clusterer()
    kw = {"places": frozenset({"Boulikessi"}), "countries": frozenset({"ML"})}
    first = c.add(_doc("a", "JNIM claims Boulikessi attack", **kw))
    later = c.add(_doc("b", "JNIM claims Boulikessi attack", hours=24 * 30, **kw))
    assert later.is_new and later.story_id != first.story_id


def test_attack_elsewhere_by_another_group_is_a_new_story() -> None:
    c = Clusterer()
    c.add(
        _doc(
            "a",
            "JNIM claims Boulikessi attack",
            places=frozenset({"Boulikessi"}),
            groups=frozenset({"JNIM"}),
            countries=frozenset({"ML"}),
        )
    )
    other = c.add(
        _doc(
            "b",
            "Islamic State fighters attack army post in Timbuktu",
            hours=20,
            places=frozenset({"Timbuktu"}),
            groups=frozenset({"Islamic State Sahel Province"}),
            countries=frozenset({"ML"}),
        )
    )
    assert other.is_new


def test_same_words_in_different_countries_never_join() -> None:
    c = Clusterer()
    c.add(_doc("a", "Gunmen kill 12 villagers in night raid", countries=frozenset({"NG"})))
    b = c.add(_doc("b", "Gunmen kill 12 villagers in night raid", 2, countries=frozenset({"NE"})))
    assert b.is_new


def test_seed_article_and_a_wire_version_join() -> None:
    text, title = seed_text(), SEED_TITLE
    mali = {"places": frozenset({"Boulikessi"}), "countries": frozenset({"ML"})}
    c = Clusterer()
    seed = c.add(_doc("seed", title, text=text, groups=frozenset({"JNIM"}), source="seed", **mali))
    wire = c.add(
        _doc(
            "wire",
            "Over 30 Malian soldiers killed as jihadists seize Boulikessi base",
            hours=3,
            text="Militants linked to al-Qaeda said they seized an army base in Boulikessi in central Mali.",
            source="wire",
            **mali,
        )
    )
    assert wire.story_id == seed.story_id


# -- clustering: reports of one event vs reports of other events ------------------------


@pytest.mark.parametrize(
    ("event", "i", "j"),
    [
        ("philippines-asg", 1, 2),  # troops kill 3 / five Abu Sayyaf gunmen: two counts, one event
        ("mali-ansar-dine", 0, 3),  # claims several attacks / claims a wave of attacks
        ("kogi-herders", 1, 2),  # herdsmen kill farmer in Kogi / herdsmen attack, Kogi
        ("luhansk-shelling", 0, 1),  # Lisichansk / Lysychansk: one town, two spellings
    ],
)
def test_reports_of_one_event_join(event: str, i: int, j: int) -> None:
    c = Clusterer()
    a = c.add(_doc("a", headline(event, i)))
    b = c.add(_doc("b", headline(event, j), hours=6))
    assert b.story_id == a.story_id, b.reason


@pytest.mark.parametrize(
    ("left", "right", "groups"),
    [
        ("somalia-ambush", "somalia-drone", ({"al-Shabaab"}, set())),  # ambush vs drone strike
        ("nigeria-blast", "nigeria-recapture", ({"Boko Haram"}, {"Boko Haram"})),  # blast vs recapture
        ("pakistan-bombing", "algeria-soldier", (set(), set())),  # Pakistan bomb vs Algeria clash
    ],
)
def test_reports_of_different_events_stay_apart(left: str, right: str, groups) -> None:
    # An hour apart, with the countries and groups the matcher names in each headline: the
    # same armed group in the same country is who, not which event.
    c = Clusterer()
    for n, event in enumerate((left, right)):
        mentions = {"groups": frozenset(groups[n]), "countries": frozenset(events()[event]["countries"])}
        last = c.add(_doc(f"d{n}", headline(event), hours=n, **mentions))
    assert last.is_new, last.reason


# -- clustering: feed entries -------------------------------------------------------


def _feed(name: str) -> list[StoryDoc]:
    docs = []
    for e in jsonl(name):
        docs.append(
            StoryDoc(
                e["link"],
                html.unescape(html.unescape(e["title"])),
                html.unescape(html.unescape(e["description"])),
                name,
                datetime.fromisoformat(e["date_published"]),
            )
        )
    return docs


def test_feeds_merge_the_same_news_from_two_outlets_and_keep_other_wars_apart() -> None:
    docs = sorted(_feed("bbc-africa.jsonl") + _feed("allafrica.jsonl"), key=lambda d: (d.published, d.id))
    c = Clusterer()
    story = {d.title: c.add(d).story_id for d in docs}
    sangare = [t for t in story if "Boubacar Sangar" in t]
    assert len(sangare) == 2 and story[sangare[0]] == story[sangare[1]]
    congo = story["Rebels seize second city in eastern DR Congo"]
    sudan = story["Sudan army breaks two-year siege of El Obeid"]
    assert congo != sudan
    # Precision first: most entries of three weeks are distinct news.
    assert len(set(story.values())) > 0.9 * len(story)


# -- clustering: contract ----------------------------------------------------------------


def test_ids_are_deterministic_and_adding_twice_is_harmless() -> None:
    heads = [
        "Philippine troops kill 3 Abu Sayyaf gunmen",
        "Philippine troops kill five Abu Sayyaf gunmen",
        "Suspected herders kill 9 in raid on villages in Nigeria's Kogi state",
    ]
    runs = []
    for _ in range(2):
        c = Clusterer()
        runs.append([c.add(_doc(str(n), h, n)).story_id for n, h in enumerate(heads)])
    assert runs[0] == runs[1]
    c = Clusterer()
    first = c.add(_doc("x", heads[0]))
    again = c.add(_doc("x", heads[0]))
    assert again.story_id == first.story_id and not again.is_new


def test_closed_before_lists_quiet_stories_only() -> None:
    c = Clusterer(window=timedelta(hours=24))
    old = c.add(_doc("a", "Suspected herders kill 9 in raid on villages in Nigeria's Kogi state")).story_id
    fresh = c.add(_doc("b", "Philippine troops kill five Abu Sayyaf gunmen", 30)).story_id
    assert c.closed_before(T0 + timedelta(hours=31)) == [old]
    assert set(c.closed_before(T0 + timedelta(hours=60))) == {old, fresh}


def test_bad_input_is_refused_clearly() -> None:
    with pytest.raises(TypeError, match="unknown threshold"):
        Clusterer(jion=0.5)
    with pytest.raises(ValueError, match="timezone-aware"):
        StoryDoc("a", "t", "", "s", datetime(2024, 1, 1))
    with pytest.raises(ValueError, match="non-empty id"):
        StoryDoc("", "t", "", "s", None)
    with pytest.raises(ValueError, match="timezone-aware"):
        Clusterer().closed_before(datetime(2024, 1, 1))


def test_restoring_a_report_reopens_its_closed_story_cleanly() -> None:
    c = Clusterer(window=timedelta(hours=24))
    sid = c.add(_doc("a", "Suspected herders kill 9 in raid on villages in Nigeria's Kogi state")).story_id
    c.add(_doc("b", "Philippine troops kill five Abu Sayyaf gunmen", 30))  # closes "a"
    assert sid in c.closed_before(T0 + timedelta(hours=31))
    # Another replica put a late report into that story: it comes back open, with its reports.
    c.restore(_doc("c", "Herdsmen raid Kogi farming villages", 29), sid)
    assert sid not in c.closed_before(T0 + timedelta(hours=31))
    joined = c.add(_doc("d", "Suspected herders overrun Kogi farming communities", 31))
    assert joined.story_id == sid
    # ... and closes again without tripping over its own indexes.
    c.add(_doc("e", "Gunmen kill doctor in east Afghanistan", 100))
    assert sid in c.closed_before(T0 + timedelta(hours=101))


# -- clustering: copies and bounded work ---------------------------------------------------


WIRE = (
    "Gunmen killed at least 12 villagers in an overnight raid on Kadisso in the Tillaberi "
    "region, a local official said, the third attack on the commune this month."
)


def test_another_outlets_copy_joins_without_being_compared_again() -> None:
    c = Clusterer()
    kw = {"places": frozenset({"Kadisso"}), "countries": frozenset({"NE"})}
    first = c.add(_doc("a", "Gunmen kill 12 villagers in Niger raid", text=WIRE, **kw))
    copy = c.add(
        _doc(
            "b",
            "Gunmen kill 12 villagers in Niger raid",
            1,
            text=WIRE + " Our correspondent contributed.",
            **kw,
        )
    )
    assert copy.story_id == first.story_id and not copy.is_new
    assert copy.reason.startswith("copy of a (words 0.")
    # A copy is not indexed: the next copy is a copy of the first report, not of "b".
    third = c.add(
        _doc(
            "c", "Gunmen kill 12 villagers in Niger raid", 2, text=WIRE + " Wire services contributed.", **kw
        )
    )
    assert third.reason.startswith("copy of a ")


def test_a_copy_under_another_headline_is_found_by_its_words() -> None:
    c = Clusterer()
    first = c.add(_doc("a", "Gunmen kill 12 villagers in Niger raid", text=WIRE))
    copy = c.add(_doc("b", "Niger: twelve villagers killed in Tillaberi raid", 1, text=WIRE))
    assert copy.story_id == first.story_id and copy.reason.startswith("copy of a ")


def test_a_copy_in_another_country_is_no_copy() -> None:
    c = Clusterer()
    c.add(_doc("a", "Gunmen kill 12 villagers in raid", text=WIRE, countries=frozenset({"NE"})))
    other = c.add(_doc("b", "Gunmen kill 12 villagers in raid", 1, text=WIRE, countries=frozenset({"NG"})))
    assert other.is_new


def test_copies_are_forgotten_with_their_story() -> None:
    c = Clusterer(window=timedelta(hours=24))
    c.add(_doc("a", "Gunmen kill 12 villagers in Niger raid", text=WIRE))
    c.add(_doc("b", "Gunmen kill 12 villagers in Niger raid", 1, text=WIRE + " More to come."))
    assert c.story_of("b") == c.story_of("a") is not None
    c.add(_doc("z", "Philippine troops kill five Abu Sayyaf gunmen", 24 * 8))
    assert c.story_of("a") is None and c.story_of("b") is None


def test_sharing_only_a_town_is_no_story() -> None:
    # Two events in one town the same day, in words that have nothing else in common: the
    # town makes them candidates (an English and a French report may share nothing else),
    # and the town alone does not join them.
    c = Clusterer()
    kw = {"places": frozenset({"Maiduguri"}), "countries": frozenset({"NG"})}
    c.add(_doc("a", "Flooding displaces thousands in Maiduguri", **kw))
    other = c.add(_doc("b", "Governor opens new hospital wing in Maiduguri", 3, **kw))
    assert other.is_new
    assert "clue" in other.reason and other.verdict is not None


def test_late_reports_of_an_old_event_join_each_other() -> None:
    # A feed that delivers a week-old event late, twice: the two reports are one story even
    # though the newest report seen is days newer.
    c = Clusterer(window=timedelta(hours=24))
    c.add(_doc("now", "Philippine troops kill five Abu Sayyaf gunmen", 24 * 7))
    kw = {"places": frozenset({"Boulikessi"}), "countries": frozenset({"ML"})}
    late = c.add(_doc("a", "JNIM claims Boulikessi attack", **kw))
    later = c.add(_doc("b", "Mali army says it repelled assault in Boulikessi", 2, **kw))
    assert late.is_new and later.story_id == late.story_id


# -- one security event's scene: group or kind, one region, within hours ---------------------

YOBE = {"countries": frozenset({"NG"}), "admin1": frozenset({"Yobe"})}


def _yobe(i: str, title: str, hours: float, towns: frozenset[str] = frozenset(), **kw) -> StoryDoc:
    # As the matcher lists them: a town's first-level region comes with it, and is a place too.
    return _doc(i, title, hours, places=towns | {"Yobe"}, **YOBE, **kw)


def test_one_group_in_one_region_within_hours_is_one_event_in_other_words() -> None:
    c = Clusterer()
    iswap = frozenset({"ISWAP"})
    first = c.add(_yobe("a", "Islamic State West Africa fighters overrun army camp in Yobe", 0, groups=iswap))
    geidam = frozenset({"Geidam"})
    second = c.add(_yobe("b", "ISWAP takes Geidam outpost, troops retreat", 2, geidam, groups=iswap))
    assert second.story_id == first.story_id
    assert second.verdict is not None  # --explain shows it
    assert "iswap in yobe within 12 h" in second.verdict.to_json()["adjustments"]


def test_one_kind_of_security_event_in_one_region_within_hours_joins() -> None:
    c = Clusterer()
    first = c.add(_yobe("a", "Jihadists overrun army camp in Yobe", 0))
    second = c.add(_yobe("b", "Soldiers flee as insurgents attack Geidam outpost", 3, frozenset({"Geidam"})))
    assert second.story_id == first.story_id
    assert "violence in yobe" in second.reason


@pytest.mark.parametrize(
    ("title", "hours", "towns"),
    [
        ("Soldiers flee as insurgents attack Geidam outpost", 20, {"Geidam"}),  # a day later
        ("Gunmen attack traders on road near Damaturu", 3, {"Damaturu"}),  # another town
        ("Floods cut road to Geidam as river bursts its banks", 3, {"Geidam"}),  # no security event
    ],
)
def test_a_region_alone_is_no_scene(title: str, hours: float, towns: set[str]) -> None:
    c = Clusterer()
    c.add(_yobe("a", "Jihadists overrun army camp near Buni Yadi", 0, frozenset({"Buni Yadi"})))
    assert c.add(_yobe("b", title, hours, frozenset(towns))).is_new


# -- one feed's reports on one topic --------------------------------------------------------


@pytest.mark.parametrize(("hours", "joins"), [(1, True), (14, False)])
def test_one_feeds_word_only_join_needs_a_story_still_active(hours: float, joins: bool) -> None:
    c = Clusterer()
    first = c.add(_doc("a", "Ministers back visa-free travel for African traders", source="wire"))
    later = c.add(
        _doc("b", "Regional bloc pushes visa-free travel for African traders", hours, source="wire")
    )
    assert (later.story_id == first.story_id) is joins
    if not joins:
        assert "quiet" in later.reason
