"""The Bolt app: Slack → plain functions. Handlers stay thin; checks are middleware."""

from __future__ import annotations

from slack_bolt import App

from bot.deliver.poster import web_client
from bot.services import Services
from bot.settings import Settings
from bot.slack import commands, threads
from bot.slack.middleware import skip_retries


def build_app(settings: Settings, services: Services) -> App:
    """The Bolt app. Bolt builds its client from the token: it reads SLACK_BOT_TOKEN itself
    anyway, so handing it our client as well made it warn at every start that `token` would be
    unused. Its client then goes where ours do (SLACK_API_URL, our timeout). Bolt's own
    auth.test is off: app.build checks the token once at start, with a clearer message.
    Bolt's request verification is off too: it runs after Bolt has parsed the body and logs
    the body of every request it refuses; over HTTP, `signature.SignedOnly` has checked the
    raw bytes before Bolt sees them (Socket Mode needs no signature)."""
    app = App(
        token=settings.slack_bot_token,
        signing_secret=settings.slack_signing_secret or "",
        token_verification_enabled=False,
        request_verification_enabled=False,
    )
    ours = web_client(settings)
    app.client.base_url, app.client.timeout = ours.base_url, ours.timeout
    app.use(skip_retries(services.store))  # a Slack retry is acked, never acted on twice
    commands.register(app, services)
    threads.register(app, services)
    return app
