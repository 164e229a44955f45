"""Look-ups: `search`, `where`, `who`, `share`, and the search result buttons (more, share)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_bolt import Ack, App, Respond

from bot import messages
from bot.clock import utcnow
from bot.config import Team, Watch, parse_duration
from bot.deliver.escape import link, mrkdwn
from bot.deliver.outbox import group_label, place_label
from bot.errors import ChangeError
from bot.match.fold import fold
from bot.match.matcher import Matcher, PlaceInfo
from bot.services import Services
from bot.slack.directory import Directory
from bot.slack.request import Answer, Request, Subcommand
from bot.store import StoryRecord
from bot.watches import canonical

PAGE = 5
DEFAULT_SINCE = "7d"
MAX_SINCE = 90 * 86400
LOOKUP_DAYS = 30  # where/who list stories from this far back
_MARKERS = ("in", "group", "since")
SEARCH_USAGE = "search <words> [in <region>] [group <name>] [since 7d]"


# ---- search ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    text: str  # as typed, for the "more" button and the answer's heading
    words: tuple[str, ...]  # folded
    region: str | None
    group: str | None
    since: str
    seconds: int


def parse_query(text: str, matcher: Matcher) -> Query:
    """`<words> [in <region>] [group <name>] [since 7d]`; ChangeError names what is wrong."""
    parts: dict[str, list[str]] = {"words": []}
    current = "words"
    for word in text.split():
        if word.lower() in _MARKERS and word.lower() not in parts:
            current = word.lower()
            parts[current] = []
        else:
            parts[current].append(word)
    for marker in _MARKERS:
        if marker in parts and not parts[marker]:
            raise ChangeError(messages.SEARCH_NEEDS_VALUE.format(marker=marker))
    region = canonical(matcher, "region", " ".join(parts["in"])) if "in" in parts else None
    group = canonical(matcher, "group", " ".join(parts["group"])) if "group" in parts else None
    since = parts.get("since", [DEFAULT_SINCE])[0]
    try:
        seconds = parse_duration(since)
    except ValueError:
        raise ChangeError(messages.SEARCH_BAD_SINCE.format(since=since)) from None
    words = tuple(w for w in fold(" ".join(parts["words"])).split() if w)
    if not (words or region or group):
        usage = messages.USAGE.format(usage=SEARCH_USAGE, example="search attack in Mopti since 3d")
        raise ChangeError(messages.SEARCH_WHAT.format(usage=usage))
    return Query(text, words, region, group, since, min(seconds, MAX_SINCE))


def find_stories(services: Services, q: Query, now: datetime) -> list[StoryRecord]:
    """Matching stories, best first: more word hits (title counts double), then newest."""
    place_filter = _filter_team(regions=[q.region] if q.region else [], groups=[q.group] if q.group else [])
    scored = []
    for story in services.store.recent_stories(now - timedelta(seconds=q.seconds)):
        if place_filter and not services.matcher.match(place_filter, story.mentions, ""):
            continue
        score = _score(story, q.words)
        if score is not None:
            scored.append((score, story.last_item_at, story))
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    return [s[2] for s in scored]


def _filter_team(*, regions: list[str], groups: list[str]) -> Team | None:
    if not (regions or groups):
        return None
    return Team(
        name="lookup",
        channel="C0LOOKUP0",
        watch=Watch(
            regions=regions, groups=groups, require="region_and_group" if regions and groups else "any"
        ),
    )


def _score(story: StoryRecord, words: tuple[str, ...]) -> int | None:
    """None unless every word starts a word of the story (so "kidnap" finds "kidnapping")."""
    title = " " + fold(story.title) + " "
    names = [p.name for p in story.mentions.places] + [g.name for g in story.mentions.groups]
    body = " " + fold(" ".join([*story.summary.sentences, *names])) + " "
    score = 0
    for w in words:
        if f" {w}" in title:
            score += 2
        elif f" {w}" in body:
            score += 1
        else:
            return None
    return score


def search(req: Request) -> Answer:
    return search_page(req.services, parse_query(req.text, req.services.matcher), 0, req.now)


def search_page(services: Services, q: Query, offset: int, now: datetime) -> Answer:
    found = find_stories(services, q, now)
    what = mrkdwn(f"“{q.text}”", limit=200)
    since = mrkdwn(q.since, limit=10)
    if not found:
        return Answer(messages.SEARCH_NONE.format(since=since, what=what))
    page = found[offset : offset + PAGE]
    head = messages.SEARCH_HEAD.format(
        total=len(found),
        plural="y" if len(found) == 1 else "ies",
        since=since,
        what=what,
        first=offset + 1,
        last=offset + len(page),
    )
    blocks = [section(head)] + [story_block(services, s, share=True) for s in page]
    if offset + PAGE < len(found):
        value = json.dumps({"q": q.text, "o": offset + PAGE})
        blocks.append({"type": "actions", "elements": [_button(messages.BUTTON_MORE, "search_more", value)]})
    text = head + "\n" + "\n".join(f"• {mrkdwn(s.title, limit=150)}" for s in page)
    return Answer(text, blocks)


# ---- one story as a result ---------------------------------------------------------------


def story_block(services: Services, story: StoryRecord, *, share: bool) -> dict:
    """A section: linked title, where/who/toll, sources and story id; a Share button if asked."""
    block = section(story_mrkdwn(services, story))
    if share:
        block["accessory"] = _button(messages.BUTTON_SHARE, "search_share", story.id)
    return block


def story_mrkdwn(services: Services, story: StoryRecord) -> str:
    first = services.store.item(story.first_item_id)
    url = first.item.url if first else ""
    m = story.mentions
    places = [place_label(p) for p in m.places[:3]] or list(m.regions[:3])
    groups = [group_label(g) for g in m.groups[:3]]
    toll = story.toll
    sources = len({s.item.source_id for s in services.store.story_items(story.id)}) or 1
    facts = " · ".join(x for x in ("; ".join(places), "; ".join(groups), toll or "") if x)
    meta = messages.STORY_META.format(
        at=story.last_item_at, count=sources, plural="s" * (sources != 1), id=story.id
    )
    lines = [f"*{link(url, story.title, limit=150)}*"]
    if facts:
        lines.append(mrkdwn(facts, limit=300))
    lines.append(meta)
    return "\n".join(lines)


def share(req: Request) -> Answer:
    if len(req.args) != 1:
        raise ChangeError(messages.SHARE_HOW)
    return shared_story(req.services, req.args[0].lower(), req.user_id)


def shared_story(services: Services, story_id: str, user_id: str) -> Answer:
    story = services.store.story(story_id)
    if story is None:
        raise ChangeError(messages.NO_STORY.format(id=story_id[:20]))
    blocks = [
        story_block(services, story, share=False),
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": messages.SHARED_BY.format(user=user_id)}],
        },
    ]
    return Answer(mrkdwn(story.title, limit=200), blocks, public=True)


# ---- where / who -------------------------------------------------------------------------


def where(req: Request) -> Answer:
    if not req.text:
        raise ChangeError(messages.WHERE_HOW)
    m = req.services.matcher
    name = " ".join(req.text.split())
    term = m.term(name)
    readings = m.where(name)
    if term is None and not readings:
        hint = _did_you_mean(m.region_suggestions(name))
        return Answer(messages.WHERE_UNKNOWN.format(name=mrkdwn(name, limit=80), hint=hint))
    lines = [_place_line(p) for p in readings[:3]]
    if not lines:  # a macro-region such as the Sahel
        region = canonical(m, "region", name)
        reg = next((r for r in m.regions if r.name == region), None)
        countries = ", ".join(sorted(m.country_name(c) for c in reg.countries)) if reg else ""
        lines = [mrkdwn(messages.WHERE_REGION.format(name=region, countries=countries))]
    team = _filter_team(regions=[name], groups=[])
    return Answer("\n".join(lines), _with_recent(req, "\n".join(lines), team))


def _place_line(p: PlaceInfo) -> str:
    inside = ", ".join(
        x for x in (p.admin1 if p.admin1 != p.name else None, f"{p.country_name} ({p.country})") if x
    )
    regions = messages.PLACE_REGIONS.format(names=", ".join(p.regions)) if p.regions else ""
    coords = messages.PLACE_COORDS.format(lat=p.lat, lon=p.lon) if p.lat or p.lon else ""
    line = messages.PLACE_LINE.format(name=p.name, inside=inside, regions=regions, coords=coords)
    return mrkdwn(line).replace(mrkdwn(p.name), f"*{mrkdwn(p.name)}*", 1)


def who(req: Request) -> Answer:
    if not req.text:
        raise ChangeError(messages.WHO_HOW)
    m = req.services.matcher
    name = " ".join(req.text.split())
    info = m.who(name)
    if info is None:
        hint = _did_you_mean(m.group_suggestions(name))
        return Answer(messages.WHO_UNKNOWN.format(name=mrkdwn(name, limit=80), hint=hint))
    affiliates = sorted(g.canonical for g in m.catalogue.groups if g.affiliation == info.canonical)
    countries = ", ".join(m.country_name(c) for c in info.countries)
    affiliate = (
        messages.WHO_AFFILIATE.format(affiliation=mrkdwn(info.affiliation)) if info.affiliation else ""
    )
    lines = [messages.WHO_NAME.format(name=mrkdwn(info.canonical), affiliate=affiliate)]
    if info.aliases:
        lines.append(messages.WHO_ALIASES.format(names=mrkdwn(", ".join(info.aliases), limit=500)))
    if affiliates:
        lines.append(messages.WHO_AFFILIATES.format(names=mrkdwn(", ".join(affiliates), limit=500)))
    if countries:
        lines.append(messages.WHO_ACTIVE_IN.format(names=mrkdwn(countries, limit=300)))
    team = _filter_team(regions=[], groups=[info.canonical])
    return Answer("\n".join(lines), _with_recent(req, "\n".join(lines), team))


def _did_you_mean(close: list[str] | None) -> str:
    """Up to three suggestions, or nothing."""
    names = " or ".join(f"`{mrkdwn(c)}`" for c in (close or [])[:3])
    return messages.DID_YOU_MEAN.format(names=names) if names else ""


def _with_recent(req: Request, head: str, team: Team) -> list[dict]:
    now = req.now
    recent = [
        s
        for s in req.services.store.recent_stories(now - timedelta(days=LOOKUP_DAYS))
        if req.services.matcher.match(team, s.mentions, "")
    ]
    blocks = [section(head)]
    if not recent:
        blocks.append(context(messages.NO_RECENT.format(days=LOOKUP_DAYS)))
        return blocks
    blocks.append(context(messages.RECENT_HEAD.format(days=LOOKUP_DAYS, count=len(recent))))
    return blocks + [story_block(req.services, s, share=True) for s in recent[:PAGE]]


# ---- buttons on search results -----------------------------------------------------------


def register_actions(app: App, services: Services, directory: Directory) -> None:
    @app.action("search_more")
    def more(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        respond(**next_page(services, action.get("value") or "").payload(replace=True))

    @app.action("search_share")
    def share_button(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        try:
            answer = shared_story(services, str(action.get("value") or ""), body["user"]["id"])
        except ChangeError as e:
            answer = Answer(mrkdwn(str(e)))
        respond(**answer.payload())


def next_page(services: Services, value: str) -> Answer:
    try:
        state = json.loads(value)
        q = parse_query(str(state["q"]), services.matcher)
        return search_page(services, q, max(0, int(state["o"])), utcnow())
    except (ValueError, KeyError, TypeError, ChangeError):
        return Answer(messages.SEARCH_STALE)


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def _button(label: str, action_id: str, value: str) -> dict:
    return {
        "type": "button",
        "action_id": action_id,
        "value": value[:2000],
        "text": {"type": "plain_text", "text": label},
    }


SUBCOMMANDS = (
    Subcommand("search", usage=SEARCH_USAGE, example="search attack in Mopti since 3d", run=search),
    Subcommand("share", usage="share <story id>", example="share s-1a2b3c4d5e6f", run=share),
    Subcommand("where", usage="where <place>", example="where Boulikessi", run=where),
    Subcommand("who", usage="who <group>", example="who GSIM", run=who),
)
