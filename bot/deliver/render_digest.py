"""A digest as Block Kit, with a plain-text fallback. Every outside string is escaped here."""

from __future__ import annotations

from datetime import datetime, tzinfo

from bot.deliver.escape import link, mrkdwn

MAX_SECTION = 2900  # Slack allows 3000 characters in a section's text
MAX_PER_AREA = 8  # story lines per admin1 before "…and N more"
MAX_BLOCKS = 48  # Slack allows 50 blocks in a message


def digest(content, trend: list, *, tz: tzinfo, cron: str) -> tuple[str, list[dict]]:
    """(fallback text, blocks) for a DigestContent and its weekly trend rows."""
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"Lookout digest · {content.team}"[:150]}},
        _context(_headline(content, tz)),
    ]
    if content.top_groups:
        groups = ", ".join(f"{mrkdwn(name, limit=60)} ({n})" for name, n in content.top_groups)
        blocks.append(_section(f"*Most active groups:* {groups}"))
    if not content.countries:
        blocks.append(_section("No new stories matched this team's watch in this period."))
    for country in content.countries:
        blocks += [_section(chunk) for chunk in _chunks(_country_lines(country))]
    if trend:
        blocks.append({"type": "divider"})
        blocks += [_section(chunk) for chunk in _chunks(["*Week on week*", *_trend_lines(trend)])]
    blocks = _fit(blocks)
    blocks.append(
        _context(
            f"Schedule `{mrkdwn(cron)}` ({mrkdwn(str(tz))}) · change it with "
            "`/lookout digest set daily 07:00 Africa/Bamako`"
        )
    )
    return _fallback(content), blocks


def _headline(content, tz: tzinfo) -> str:
    n = content.count
    parts = [
        f"{n} stor{'y' if n == 1 else 'ies'}",
        f"{_when(content.since, tz)} → {_when(content.until, tz)} ({mrkdwn(str(tz))})",
    ]
    if content.tolls:
        parts.append(toll_text(content.tolls))
    return " · ".join(parts)


def _country_lines(country) -> list[str]:
    lines = [f"*{mrkdwn(country.name)}* — {_count(country.count)}{_tolls(country.tolls)}"]
    for area in country.areas:
        if area.name and len(country.areas) == 1:
            lines.append(f"_{mrkdwn(area.name)}_")  # the country line already gave the numbers
        elif area.name:
            lines.append(f"_{mrkdwn(area.name)}_ — {_count(len(area.stories))}{_tolls(area.tolls)}")
        elif len(country.areas) > 1:
            lines.append("_Country-wide or unplaced_")
        lines += [_story_line(m) for m in area.stories[:MAX_PER_AREA]]
        if len(area.stories) > MAX_PER_AREA:
            lines.append(f"    …and {len(area.stories) - MAX_PER_AREA} more")
    return lines


def _story_line(m) -> str:
    extras = [mrkdwn(m.toll, limit=60)] if m.toll else []
    if m.groups:
        extras.append(mrkdwn(", ".join(m.groups[:3]), limit=100))
    extras.append(f"{m.sources} source{'s' * (m.sources != 1)}")
    return f"• {link(m.url, m.story.title, limit=150)} — " + " · ".join(extras)


def _trend_lines(trend: list) -> list[str]:
    lines = []
    for row in trend:
        line = (
            f"• *{mrkdwn(row.region)}*: {row.this_week} this week, {row.last_week} last week ({row.change})"
        )
        if row.new_groups:
            line += f"; newly active: {mrkdwn(', '.join(row.new_groups), limit=150)}"
        if row.largest:
            biggest = "; ".join(
                link(m.url, m.story.title, limit=80) + (f" ({mrkdwn(m.toll)})" if m.toll else "")
                for m in row.largest
            )
            line += f"\n    largest: {biggest}"
        lines.append(line)
    return lines


def toll_text(tolls: dict[str, int]) -> str:
    order = sorted(tolls, key=lambda k: (k != "killed", k))
    return ", ".join(f"at least {tolls[k]} {k}" for k in order)


def _tolls(tolls: dict[str, int]) -> str:
    return f" · {toll_text(tolls)}" if tolls else ""


def _count(n: int) -> str:
    return f"{n} stor{'y' if n == 1 else 'ies'}"


def _when(d: datetime, tz: tzinfo) -> str:
    return d.astimezone(tz).strftime("%a %d %b %H:%M")


def _chunks(lines: list[str]) -> list[str]:
    """Lines packed into section-sized texts (a long country spans several sections)."""
    chunks, current = [], ""
    for line in lines:
        line = line[:MAX_SECTION]
        if current and len(current) + 1 + len(line) > MAX_SECTION:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    return [*chunks, current] if current else chunks


def _fit(blocks: list[dict]) -> list[dict]:
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    return [*blocks[: MAX_BLOCKS - 1], _context(f"…{len(blocks) - MAX_BLOCKS + 1} more sections not shown")]


def _fallback(content) -> str:
    head = f"Lookout digest for {mrkdwn(content.team)}: {_count(content.count)}"
    if content.tolls:
        head += f", {toll_text(content.tolls)}"
    where = ", ".join(f"{mrkdwn(c.name)} {c.count}" for c in content.countries[:6])
    return f"{head}. {where}" if where else head + "."


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}
