"""Settings from the environment only: secrets never live in YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, model_validator
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
    lookout_data_dir: Path = Path("data")  # when unset: see default_data_dir()
    lookout_ops_channel: str | None = None  # where source-health and delivery problems are reported
    lookout_admins: str = ""  # comma-separated Slack user ids allowed to change any team's watch
    lookout_retention_days: int = Field(default=90, ge=1)  # items and closed stories older are pruned
    lookout_metrics: bool = False  # serve Prometheus metrics at /metrics
    # Seconds between delivery rounds, and how long a dead worker's claims (sources, items,
    # alerts) stay locked before another replica takes them over (default: per kind, minutes).
    lookout_delivery_every: float = Field(default=2.0, gt=0, le=3600)
    lookout_lease_seconds: float | None = Field(default=None, ge=20, le=3600)
    # How long a start waits for PostgreSQL to answer (retrying with backoff) before giving up.
    lookout_db_wait_seconds: float = Field(default=60, ge=0, le=3600)
    # /healthz says degraded (503) when an alert has waited in the outbox longer than this.
    lookout_health_max_queued_seconds: float = Field(default=600, gt=0)

    @model_validator(mode="before")
    @classmethod
    def _data_dir_from_config(cls, values: Any) -> Any:
        if isinstance(values, dict) and not values.get("lookout_data_dir"):
            config_dir = Path(values.get("lookout_config") or "config")
            values = {**values, "lookout_data_dir": default_data_dir(config_dir)}
        return values

    @property
    def db_url(self) -> str:
        if self.database_url:
            return _normalise_db_url(self.database_url)
        # DESIGN.md: the SQLite default lives beside the data dir (./data → ./lookout.db)
        return f"sqlite:///{self.lookout_data_dir.parent / 'lookout.db'}"

    @property
    def admins(self) -> frozenset[str]:
        return frozenset(a.strip() for a in self.lookout_admins.split(",") if a.strip())


def default_data_dir(config_dir: Path) -> Path:
    """Where the gazetteer index, imported dumps and (by default) lookout.db go when
    LOOKOUT_DATA_DIR is not set: beside the config folder (`config/` → `./data`, as DESIGN.md
    says, and `/srv/lookout/config` → `/srv/lookout/data`); with no config folder (a look-up
    run from any other folder), the per-user data folder (~/.local/share/lookout/data on
    Linux), so the 92 MB index is built once per user, never in the folder you stand in."""
    if config_dir.is_dir():
        return config_dir.parent / "data"
    from platformdirs import user_data_path

    return user_data_path("lookout") / "data"


def _normalise_db_url(url: str) -> str:
    """Accept the usual postgres:// spellings and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
