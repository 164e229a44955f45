"""Words users read, in one place."""

HELP = """*Lookout* — conflict and security news for this channel's team.
• `/lookout help` — this list
• `/lookout status` — last poll, queue depth, version"""

UNKNOWN_COMMAND = "I don't know `{word}`. Try `/lookout help`."
NO_TEAM = "No Lookout team uses this channel yet. Add one in config/teams.yaml (channel {channel})."
