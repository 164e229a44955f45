"""`/lookout sources`: source health for everyone; `add`, `remove`, `pause`, `resume` for
admins (LOOKOUT_ADMINS); `history` shows the source changes made from Slack."""

from __future__ import annotations

from bot import messages
from bot.deliver.escape import mrkdwn
from bot.errors import ChangeError
from bot.fetch import changes
from bot.fetch.redact import redact
from bot.services import Services
from bot.slack.cmd_watch import HISTORY_LIMIT, with_mention
from bot.slack.request import Answer, Request, Subcommand, require_admin


def sources(req: Request) -> Answer:
    verb = req.args[0].lower() if req.args else "list"
    if verb == "list":
        return Answer(sources_text(req.services))
    if verb == "history":
        return _history(req.services)
    if verb not in ("add", "remove", "pause", "resume"):
        raise ChangeError(
            messages.SOURCES_NOT_A_COMMAND.format(verb=mrkdwn(verb, limit=40), usage=messages.SOURCES_USAGE)
        )
    require_admin(req)  # checked before the URL is fetched or the name looked at
    if verb == "add":
        return _add(req)
    if len(req.args) != 2:
        raise ChangeError(messages.SOURCE_NAME_HOW.format(verb=verb))
    return _change(req, verb, req.args[1])


def _add(req: Request) -> Answer:
    if len(req.args) not in (2, 3):
        raise ChangeError(messages.SOURCE_ADD_HOW)
    services = req.services
    added = changes.add_source(
        services.store,
        services.http,
        services.sources(),
        url_text=req.args[1],
        name=req.args[2] if len(req.args) == 3 else None,
        user_id=req.user_id,
        now=req.now,
    )
    text = messages.SOURCE_ADDED.format(
        name=added.source.id,
        title=added.title or messages.SOURCE_NO_TITLE,
        count=added.items,
        plural="s" * (added.items != 1),
        url=redact(added.source.url),
        interval=added.source.interval,
    )
    return Answer(mrkdwn(text))


def _change(req: Request, verb: str, name: str) -> Answer:
    services = req.services
    live = services.sources()
    kw = {"name": name, "user_id": req.user_id, "now": req.now}
    if verb == "remove":
        gone = changes.remove_source(services.store, live, **kw)
        text = messages.SOURCE_REMOVED.format(name=gone.id, url=redact(gone.url))
    else:
        paused = verb == "pause"
        source, changed = changes.pause_source(services.store, live, paused=paused, **kw)
        done, already = (
            (messages.SOURCE_PAUSED, messages.SOURCE_ALREADY_PAUSED)
            if paused
            else (messages.SOURCE_RESUMED, messages.SOURCE_ALREADY_RUNNING)
        )
        text = (done if changed else already).format(name=source.id)
    return Answer(mrkdwn(text))


def _history(services: Services) -> Answer:
    rows = services.store.team_changes(scope=changes.SCOPE, newest_first=True, limit=HISTORY_LIMIT)
    if not rows:
        return Answer(mrkdwn(messages.SOURCES_HISTORY_NONE))
    lines = [mrkdwn(messages.SOURCES_HISTORY_HEAD)]
    lines += ["• " + with_mention(mrkdwn(changes.change_line(c)), c.user_id) for c in rows]
    return Answer("\n".join(lines))


def sources_text(services: Services) -> str:
    """One line per source: health, last success, items seen, the last error if failing."""
    states = services.store.source_states()
    if not states:
        return messages.SOURCES_NONE
    live = {s.id: s for s in services.sources()}
    lines = [messages.SOURCES_HEAD.format(count=len(states))]
    for s in states:
        cfg = live.get(s.id)
        label = mrkdwn(cfg.label if cfg else s.id, limit=60)
        ok = messages.SOURCE_LAST_OK.format(at=s.last_success) if s.last_success else messages.SOURCE_NEVER_OK
        if cfg is not None and not cfg.enabled:
            lines.append(messages.SOURCE_PAUSED_LINE.format(label=label, items=s.items_seen))
        elif s.healthy and not s.consecutive_failures:
            lines.append(messages.SOURCE_OK.format(label=label, last_ok=ok, items=s.items_seen))
        else:
            error = mrkdwn(redact(s.last_error or messages.SOURCE_UNKNOWN_ERROR), limit=160)
            lines.append(
                messages.SOURCE_FAILING.format(
                    label=label, failures=s.consecutive_failures, error=error, last_ok=ok
                )
            )
    return "\n".join(lines)


SUBCOMMANDS = (Subcommand("sources", usage=messages.SOURCES_USAGE, example="sources", run=sources),)
