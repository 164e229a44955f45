"""What every `/lookout` sub-command takes and gives: a parsed request and an answer, plus
which team a command is about and whether its caller may change that team."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot import messages
from bot.clock import utcnow
from bot.config import Team
from bot.errors import ChangeError
from bot.services import Services
from bot.slack.directory import Directory, may_change
from bot.watches import effective_teams


@dataclass(frozen=True)
class Request:
    services: Services
    args: list[str]  # words after the sub-command
    text: str  # everything after the sub-command, as typed
    user_id: str
    channel_id: str
    team_id: str = ""
    directory: Directory | None = None  # Slack channel names and members (None: no Slack)
    team_name: str | None = None  # `team:<name>` in the command picks a team explicitly
    now: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class Answer:
    text: str
    blocks: list[dict] | None = None
    public: bool = False  # post in the channel instead of only to the caller

    def payload(self, *, replace: bool = False) -> dict:
        """Keyword arguments for Bolt's `respond`."""
        body = {"text": self.text, "response_type": "in_channel" if self.public else "ephemeral"}
        if self.blocks:
            body["blocks"] = self.blocks
        if replace:
            body["replace_original"] = True
        return body


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str  # e.g. "where <place>"
    example: str  # e.g. "where Boulikessi"
    run: Callable[[Request], Answer] = field(compare=False)


def channel_team(req: Request) -> Team:
    """The team this command is about: `team:<name>`, else the channel's only team."""
    teams = effective_teams(req.services.config.teams, req.services.store.team_changes())
    if req.team_name:
        team = next((t for t in teams if t.name.lower() == req.team_name.lower()), None)
        if team is None:
            raise ChangeError(
                messages.NO_SUCH_TEAM.format(
                    name=req.team_name, names=", ".join(t.name for t in teams) or messages.NONE
                )
            )
        return team
    here = (
        req.directory.teams_in(teams, req.channel_id)
        if req.directory
        else [t for t in teams if t.channel == req.channel_id]
    )
    if not here:
        raise ChangeError(messages.NO_TEAM.format(channel=req.channel_id))
    if len(here) > 1:
        raise ChangeError(
            messages.SEVERAL_TEAMS.format(names=", ".join(t.name for t in here), first=here[0].name)
        )
    return here[0]


def authorise(req: Request, team: Team) -> None:
    """Raise unless the caller is in the team's channel or is a configured admin."""
    admins = req.services.settings.admins
    allowed = req.user_id in admins or (
        req.directory is not None and may_change(req.directory, admins, req.user_id, team)
    )
    if not allowed:
        raise ChangeError(messages.NOT_ALLOWED.format(team=team.name, channel=team.channel))


def require_admin(req: Request) -> None:
    """Raise unless the caller is a configured admin (LOOKOUT_ADMINS): sources are everyone's."""
    if req.user_id not in req.services.settings.admins:
        raise ChangeError(messages.SOURCES_ADMINS_ONLY)
