"""Build what a process needs from settings and config: one place, used by every command."""

from __future__ import annotations

import logging
from pathlib import Path

from bot import config as config_mod
from bot.clock import utcnow
from bot.deliver.outbox import LEASE, Delivery
from bot.deliver.poster import ConsolePoster, Poster, SlackPoster, web_client
from bot.match.matcher import Matcher
from bot.services import Services
from bot.settings import Settings
from bot.store import Store

log = logging.getLogger(__name__)


def load_matcher(settings: Settings, config_dir: Path) -> Matcher:
    return Matcher.load(config_dir, settings.lookout_data_dir)


def load_config(settings: Settings, config_dir: Path, matcher: Matcher) -> config_mod.Config:
    return config_mod.load(config_dir, vocabulary=matcher)


def load_checked(settings: Settings, config_dir: Path) -> tuple[config_mod.Config, Matcher]:
    """The config with its watch names checked, and the matcher. The files are read first:
    a typo is reported at once, not after a gazetteer index build (about 30 s)."""
    config_mod.load(config_dir)
    matcher = load_matcher(settings, config_dir)
    return load_config(settings, config_dir, matcher), matcher


def build_services(settings: Settings, config_dir: Path, *, db_url: str | None = None) -> Services:
    cfg, matcher = load_checked(settings, config_dir)
    store = Store.open(db_url or settings.db_url)
    return Services(settings=settings, config=cfg, store=store, matcher=matcher)


def build_poster(settings: Settings) -> Poster:
    if settings.slack_bot_token:
        return SlackPoster(web_client(settings))
    return ConsolePoster()


def build_delivery(services: Services, poster: Poster) -> Delivery:
    def label(source_id: str) -> str:
        source = services.source(source_id)
        return source.label if source else source_id

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
