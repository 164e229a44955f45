"""Build what a process needs from settings and config: one place, used by every command."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from bot import config as config_mod
from bot.errors import ConfigError
from bot.settings import Settings

# Imported where used: `check-config` needs only the config and the matcher, and starts in a
# fraction of a second without the Slack SDK, SQLAlchemy and the story modules.
if TYPE_CHECKING:
    from bot.deliver.outbox import Delivery
    from bot.deliver.poster import Poster
    from bot.match.matcher import Matcher
    from bot.services import Services

log = logging.getLogger(__name__)


def load_matcher(settings: Settings, config_dir: Path) -> Matcher:
    from bot.match.matcher import Matcher

    return Matcher.load(config_dir, settings.lookout_data_dir)


def load_config(settings: Settings, config_dir: Path, matcher: Matcher) -> config_mod.Config:
    return config_mod.load(config_dir, vocabulary=matcher)


def checked_config(settings: Settings, config_dir: Path) -> config_mod.Config:
    """`check-config`: the same checks as load_checked, with the watch names looked up in the
    built index's names file rather than a loaded matcher (a quarter of a second, not two);
    the matcher is loaded (and the index built) only when that file is missing."""
    from bot.match.vocabulary import Vocabulary

    config_mod.load(config_dir)
    vocabulary = Vocabulary.load(config_dir, settings.lookout_data_dir)
    return config_mod.load(config_dir, vocabulary=vocabulary or load_matcher(settings, config_dir))


def load_checked(settings: Settings, config_dir: Path) -> tuple[config_mod.Config, Matcher]:
    """The config with its watch names checked, and the matcher. The files are read first:
    a typo is reported at once, not after a gazetteer index build (about 30 s)."""
    config_mod.load(config_dir)
    matcher = load_matcher(settings, config_dir)
    return load_config(settings, config_dir, matcher), matcher


# What auth.test answers when the token itself is wrong: no retry can fix these.
BAD_TOKEN = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
    }
)
WHERE_TOKENS = "your app's page at api.slack.com/apps"


def check_slack_tokens(settings: Settings) -> None:
    """One auth.test at start: a wrong SLACK_BOT_TOKEN stops the start (ConfigError, exit 2)
    with what to do, instead of failing every post later. Slack unreachable is not a token
    problem: it is logged and the outbox retries."""
    from slack_sdk.errors import SlackApiError

    from bot.deliver.poster import web_client

    token, app_token = settings.slack_bot_token, settings.slack_app_token
    if not token:
        return
    if not token.startswith("xoxb-"):
        raise ConfigError(
            [
                f"SLACK_BOT_TOKEN starts with {token[:5]!r}, not 'xoxb-': use the Bot User OAuth Token "
                f"(OAuth & Permissions on {WHERE_TOKENS})"
            ]
        )
    if app_token and not app_token.startswith("xapp-"):
        raise ConfigError(
            [
                f"SLACK_APP_TOKEN starts with {app_token[:5]!r}, not 'xapp-': use an app-level token with "
                f"connections:write (Basic Information on {WHERE_TOKENS})"
            ]
        )
    try:
        auth = web_client(settings).auth_test()
    except SlackApiError as e:
        data = e.response.data if isinstance(e.response.data, dict) else {}
        error = data.get("error", "")
        if error in BAD_TOKEN:
            raise ConfigError(
                [
                    f"SLACK_BOT_TOKEN was refused by Slack ({error}): copy the Bot User OAuth Token again "
                    f"(OAuth & Permissions on {WHERE_TOKENS}); reinstall the app if it was removed"
                ]
            ) from None
        log.warning("Slack auth.test failed (%s); starting anyway", error or e)
    except OSError as e:
        log.warning("Slack is unreachable at start (%s); alerts wait in the outbox until it answers", e)
    else:
        log.info("Slack: signed in as %s in %s", auth.get("user"), auth.get("team"))


def build_services(settings: Settings, config_dir: Path, *, db_url: str | None = None) -> Services:
    from bot.services import Services
    from bot.store import Store

    cfg, matcher = load_checked(settings, config_dir)
    check_slack_tokens(settings)
    store = Store.open(db_url or settings.db_url, wait_seconds=settings.lookout_db_wait_seconds)
    return Services(settings=settings, config=cfg, store=store, matcher=matcher)


def build_poster(settings: Settings) -> Poster:
    from bot.deliver.poster import ConsolePoster, SlackPoster, web_client

    if settings.slack_bot_token:
        return SlackPoster(web_client(settings))
    return ConsolePoster()


def build_delivery(services: Services, poster: Poster) -> Delivery:
    from bot.clock import utcnow
    from bot.deliver.outbox import LEASE, Delivery
    from bot.deliver.poster import SlackPoster

    labels = {s.id: s.label for s in services.config.sources}

    def label(source_id: str) -> str:
        # Sources added from Slack are labelled by their id, so the seed is enough: no query per post.
        return labels.get(source_id, source_id)

    def report_problem(text: str) -> None:
        log.error("%s", text)
        ops = services.settings.lookout_ops_channel
        if ops and isinstance(poster, SlackPoster):
            try:
                poster.client.chat_postMessage(channel=ops, text=text)
            except Exception:
                log.exception("could not report to the ops channel %s", ops)

    services.health_reporter = report_problem
    return Delivery(
        services.store,
        poster,
        owner=services.owner,
        source_label=label,
        now=utcnow,
        report_problem=report_problem,
        lease=services.lease(LEASE),
    )
