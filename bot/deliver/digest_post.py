"""Posting a digest: rendered here, the message first, then its chart through Slack's files
upload API (or both to the console when no token is set)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.deliver import render, render_digest
from bot.deliver.poster import SlackPoster, web_client
from bot.digest.compose import DigestPost, DigestSender
from bot.errors import PostError
from bot.settings import Settings

log = logging.getLogger(__name__)
EVENT_TYPE = "lookout_digest"


class SlackDigestSender:
    def __init__(self, client: WebClient):
        self.client = client
        self.poster = SlackPoster(client, pace_seconds=0)  # for "#name" → channel id

    def send(self, post: DigestPost) -> str | None:
        channel, text, blocks = post.team.channel, *rendered(post)
        chart = post.chart.png if post.chart.total else None
        call = SlackPoster._call  # Slack errors become PostError, as for alerts
        resp = call(
            self.client.chat_postMessage,
            channel=channel,
            text=text,
            blocks=blocks,
            unfurl_links=False,
            unfurl_media=False,
            metadata={"event_type": EVENT_TYPE, "event_payload": {"chart": post.chart_name}},
        )
        if not chart:
            return None
        try:
            # files_upload_v2 needs a channel id; the message's answer carries it.
            call(
                self.client.files_upload_v2,
                channel=resp["channel"],
                file=chart,
                filename=post.chart_name,
                title=post.chart.title,
            )
        except Exception as e:
            # Any failure, expected or not (the upload step raises SlackRequestError, neither
            # a Slack nor a network error): the digest is out, and failing the run here would
            # leave its window where it was, so the next run posted the same text again.
            problem = str(e) if isinstance(e, PostError) else f"{type(e).__name__}: {e}"
            log.warning("digest chart for %s not uploaded: %s", channel, problem)
            return problem
        return None


class ConsoleDigestSender:
    """No Slack token: print the digest and save the chart beside the data."""

    def __init__(self, chart_dir: Path, out: TextIO | None = None):
        self.chart_dir = chart_dir
        self.out = out or sys.stdout

    def send(self, post: DigestPost) -> str | None:
        _, blocks = rendered(post)
        chart = post.chart.png if post.chart.total else None
        print(render.console(blocks, channel=post.team.channel, team="digest", thread=None), file=self.out)
        if chart:
            self.chart_dir.mkdir(parents=True, exist_ok=True)
            path = self.chart_dir / post.chart_name
            path.write_bytes(chart)
            print(f"   chart: {path}", file=self.out)
        print(file=self.out, flush=True)
        return None


def rendered(post: DigestPost) -> tuple[str, list[dict]]:
    """The digest's fallback text and Block Kit blocks."""
    return render_digest.digest(
        post.content, post.trend, tz=ZoneInfo(post.digest.timezone), cron=post.digest.cron
    )


def build_sender(settings: Settings) -> DigestSender:
    if settings.slack_bot_token:
        return SlackDigestSender(web_client(settings))
    return ConsoleDigestSender(settings.lookout_data_dir / "digests")
