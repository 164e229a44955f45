"""Outlets, datelines and section prefixes of syndicated items (sentences we wrote)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.fetch.syndication import byline, headline


@pytest.mark.parametrize(
    ("text", "outlet", "dateline", "rest"),
    [
        (
            "[Studio Tamani] Timbuktu -- Suspected jihadists ambushed a convoy.",
            "Studio Tamani",
            "Timbuktu",
            "Suspected",
        ),
        ("[Dabanga] El Geneina — Witnesses described looting.", "Dabanga", "El Geneina", "Witnesses"),
        ("[VOA] Nairobi, Kenya -- A report says the drought deepened.", "VOA", "Nairobi, Kenya", "A report"),
        ("[IPS] Rome &#x26;amp; Nairobi -- Hunger is rising.", "IPS", "Rome & Nairobi", "Hunger"),
        (
            "[Chatham House] Apart from the human cost, the war has changed alliances.",
            "Chatham House",
            None,
            "Apart",
        ),
        (
            "NAIROBI, Kenya (Reuters) - Kenya and Somalia agreed to reopen the border.",
            "Reuters",
            "NAIROBI, Kenya",
            "Kenya and",
        ),
        ("BAMAKO (AFP) — Gunmen killed 14 villagers.", "AFP", "BAMAKO", "Gunmen"),
        ("DAKAR, Jan 5 (Reuters) - Senegal's army said.", "Reuters", "DAKAR", "Senegal"),
        ("Niamey, 12 mars (AFP) - Au moins 30 soldats ont été tués.", "AFP", "Niamey", "Au moins"),
        ("(Reuters) - The army said it retook the town.", "Reuters", None, "The army"),
        ("Addis Ababa -- The AU summit opened on Sunday.", None, "Addis Ababa", "The AU"),
        ("RIYADH: The kingdom signed a trade deal.", None, "RIYADH", "The kingdom"),
        ("Gunmen killed 14 villagers - a local official said.", None, None, "Gunmen"),
        ("The army said on Monday: we hold the town.", None, None, "The army"),
        ("", None, None, ""),
    ],
)
def test_byline(text: str, outlet: str | None, dateline: str | None, rest: str) -> None:
    b = byline(text)
    assert (b.outlet, b.dateline) == (outlet, dateline)
    assert text[b.end :].startswith(rest)
    if dateline is not None:
        assert b.dateline_span is not None
        a, z = b.dateline_span
        assert text[a:z].startswith(dateline.split(" ")[0])
    else:
        assert b.dateline_span is None


@pytest.mark.parametrize(
    ("title", "clean", "section", "country"),
    [
        (
            "Mali: Jihadists Ambush Supply Convoy Near Timbuktu",
            "Jihadists Ambush Supply Convoy Near Timbuktu",
            "Mali",
            "ML",
        ),
        (
            "Congo-Kinshasa: M23 Rebels Take Mining Town",
            "M23 Rebels Take Mining Town",
            "Congo-Kinshasa",
            "CD",
        ),
        ("Africa: AU Summit Opens in Addis Ababa", "AU Summit Opens in Addis Ababa", "Africa", None),
        ("Southern Africa: Ministers Meet", "Ministers Meet", "Southern Africa", None),
        ("Namibia: Rains Arrive", "Rains Arrive", "Namibia", "NA"),
        ("Sudan conflict: No talks without a truce", "Sudan conflict: No talks without a truce", None, None),
        ("Analysis: Why the Sahel matters", "Analysis: Why the Sahel matters", None, None),
        ("Africa:", "Africa:", None, None),
        ("No prefix here", "No prefix here", None, None),
    ],
)
def test_headline_drops_section_prefixes_and_keeps_the_country(
    title: str, clean: str, section: str | None, country: str | None
) -> None:
    h = headline(title)
    assert (h.title, h.section, h.country) == (clean, section, country)


@given(st.text(max_size=300))
def test_any_text_gets_a_byline_and_a_headline(text: str) -> None:
    b = byline(text)
    assert 0 <= b.end <= len(text)
    if b.dateline_span is not None:
        assert 0 <= b.dateline_span[0] < b.dateline_span[1] <= b.end
    assert headline(text).title in text
