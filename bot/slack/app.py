"""The Bolt app: Slack → plain functions. Handlers stay thin; checks are middleware."""

from __future__ import annotations

from slack_bolt import App

from bot.deliver.poster import web_client
from bot.services import Services
from bot.settings import Settings
from bot.slack import commands, threads
from bot.slack.middleware import skip_retries


def build_app(settings: Settings, services: Services) -> App:
    """An App that never calls Slack at start-up (auth.test is skipped), so tests run offline."""
    app = App(
        token=settings.slack_bot_token,
        signing_secret=settings.slack_signing_secret or "",
        client=web_client(settings),
        token_verification_enabled=False,
        request_verification_enabled=True,
    )
    app.use(skip_retries(services.store))  # a Slack retry is acked, never acted on twice
    commands.register(app, services)
    threads.register(app, services)
    return app
