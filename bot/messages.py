"""Words users read in Slack, in one place."""

HELP_HEAD = "*Lookout* — conflict and security news for this channel's team. Sub-commands:"
UNKNOWN_COMMAND = "I don't know `{word}`. Try `/lookout help`."
TOO_LONG = "That command is too long (over {limit} characters). Nothing was changed."
COMMAND_FAILED = "Sorry, `/lookout {name}` failed on our side; nothing was changed. Try again shortly."
NO_TEAM = "No Lookout team uses this channel yet. Add one in config/teams.yaml (channel {channel})."
