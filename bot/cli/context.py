"""What every command gets from the group: settings, the config folder, and built services.

Apart from bot/cli/main.py so that command modules can take it without importing the group
that registers them. Nothing heavy is imported here: `--help` must start in a blink.
"""

from __future__ import annotations

import os
from functools import update_wrapper
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from bot.services import Services
    from bot.settings import Settings


class Context:
    def __init__(self, config_dir: Path, verbose: bool = False):
        self.config_dir = config_dir
        self.verbose = verbose
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        """Read from the environment on first use (pydantic-settings costs a fifth of a second to
        import); the data dir defaults beside the config folder."""
        if self._settings is None:
            from bot.settings import Settings

            self._settings = Settings(lookout_config=self.config_dir)
        return self._settings

    def use_config(self, config_dir: Path) -> None:
        self.config_dir = config_dir
        self._settings = None

    def services(self, **kw) -> Services:
        from bot.app.build import build_services

        return build_services(self.settings, self.config_dir, **kw)


def context_of(ctx: click.Context) -> Context:
    """The group's Context; a command invoked on its own (tests, `python -m bot.cli.stories`)
    gets one from LOOKOUT_CONFIG or config/."""
    root = ctx.find_root()
    if not isinstance(root.obj, Context):
        root.obj = Context(Path(os.environ.get("LOOKOUT_CONFIG") or "config"))
    ctx.obj = root.obj
    return root.obj


def _use_config(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        context_of(ctx).use_config(value)


# `--config DIR` after the command name too (`lookout check-config --config x`), as the README
# says every command takes it: the later one wins.
config_option = click.option(
    "--config",
    type=click.Path(path_type=Path),
    default=None,
    expose_value=False,
    callback=_use_config,
    help="Config folder (also accepted before the command; default $LOOKOUT_CONFIG or config/).",
)


def pass_ctx(f):
    """Hand the command its Context, taking `--config` before or after the command name."""

    def with_context(*args, **kwargs):
        ctx = click.get_current_context()
        return ctx.invoke(f, context_of(ctx), *args, **kwargs)

    return config_option(update_wrapper(with_context, f))
