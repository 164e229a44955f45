"""Posting a digest: the message, then its chart through Slack's files upload API."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TextIO

from slack_sdk import WebClient

from bot.deliver import render
from bot.deliver.poster import PostError, SlackPoster, web_client
from bot.settings import Settings

log = logging.getLogger(__name__)
EVENT_TYPE = "lookout_digest"


class SlackDigestSender:
    def __init__(self, client: WebClient):
        self.client = client
        self.poster = SlackPoster(client, pace_seconds=0)  # for "#name" → channel id

    def send(
        self,
        *,
        channel: str,
        text: str,
        blocks: list[dict],
        chart: bytes | None,
        chart_name: str,
        chart_title: str,
    ) -> None:
        call = SlackPoster._call  # Slack errors become PostError, as for alerts
        resp = call(
            self.client.chat_postMessage,
            channel=channel,
            text=text,
            blocks=blocks,
            unfurl_links=False,
            unfurl_media=False,
            metadata={"event_type": EVENT_TYPE, "event_payload": {"chart": chart_name}},
        )
        if not chart:
            return
        try:
            # files_upload_v2 needs a channel id; the message's answer carries it.
            call(
                self.client.files_upload_v2,
                channel=resp["channel"],
                file=chart,
                filename=chart_name,
                title=chart_title,
            )
        except PostError as e:
            # The digest itself is out: a lost chart is not worth posting the digest twice.
            log.warning("digest chart for %s not uploaded: %s", channel, e)


class ConsoleDigestSender:
    """No Slack token: print the digest and save the chart beside the data."""

    def __init__(self, chart_dir: Path, out: TextIO | None = None):
        self.chart_dir = chart_dir
        self.out = out or sys.stdout

    def send(
        self,
        *,
        channel: str,
        text: str,
        blocks: list[dict],
        chart: bytes | None,
        chart_name: str,
        chart_title: str,
    ) -> None:
        print(render.console(blocks, channel=channel, team="digest", thread=None), file=self.out)
        if chart:
            self.chart_dir.mkdir(parents=True, exist_ok=True)
            path = self.chart_dir / chart_name
            path.write_bytes(chart)
            print(f"   chart: {path}", file=self.out)
        print(file=self.out, flush=True)


def build_sender(settings: Settings):
    if settings.slack_bot_token:
        return SlackDigestSender(web_client(settings))
    return ConsoleDigestSender(settings.lookout_data_dir / "digests")
