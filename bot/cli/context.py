"""What every command gets from the group: settings, the config folder, and built services.

Apart from bot/cli/main.py so that command modules can take it without importing the group
that registers them.
"""

from __future__ import annotations

from pathlib import Path

import click

from bot.settings import Settings


class Context:
    def __init__(self, config_dir: Path, verbose: bool):
        self.settings = Settings(lookout_config=config_dir)  # the data dir defaults beside it
        self.config_dir = config_dir
        self.verbose = verbose

    def services(self, **kw):
        from bot.app.build import build_services

        return build_services(self.settings, self.config_dir, **kw)


pass_ctx = click.make_pass_decorator(Context)
