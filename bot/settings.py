"""Settings from the environment only: secrets never live in YAML."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SLACK_API_URL = "https://slack.com/api/"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None  # set → Socket Mode, no public URL needed
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str | None = None  # default: sqlite file beside the data dir
    port: int = Field(default=3000, ge=1, le=65535)
    lookout_config: Path = Path("config")
    lookout_data_dir: Path = Path("data")
    lookout_ops_channel: str | None = None  # where source-health and delivery problems are reported
    lookout_admins: str = ""  # comma-separated Slack user ids allowed to change any team's watch
    lookout_retention_days: int = Field(default=90, ge=1)  # items and closed stories older are pruned
    lookout_metrics: bool = False  # serve Prometheus metrics at /metrics
    # Seconds between delivery rounds, and how long a dead worker's claims (sources, items,
    # alerts) stay locked before another replica takes them over (default: per kind, minutes).
    lookout_delivery_every: float = Field(default=2.0, gt=0, le=3600)
    lookout_lease_seconds: float | None = Field(default=None, ge=20, le=3600)

    @property
    def db_url(self) -> str:
        if self.database_url:
            return _normalise_db_url(self.database_url)
        # DESIGN.md: the SQLite default lives beside the data dir (./lookout.db)
        return f"sqlite:///{self.lookout_data_dir.parent / 'lookout.db'}"

    @property
    def admins(self) -> frozenset[str]:
        return frozenset(a.strip() for a in self.lookout_admins.split(",") if a.strip())


def _normalise_db_url(url: str) -> str:
    """Accept the usual postgres:// spellings and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
