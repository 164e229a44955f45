"""Words users read in Slack, in one place."""

HELP_HEAD = "*Lookout* — conflict and security news for this channel's team. Sub-commands:"
UNKNOWN_COMMAND = "I don't know `{word}`. Try `/lookout help`."
TOO_LONG = "That command is too long (over {limit} characters). Nothing was changed."
COMMAND_FAILED = "Sorry, `/lookout {name}` failed on our side; nothing was changed. Try again shortly."
NO_TEAM = "No Lookout team uses this channel yet. Add one in config/teams.yaml (channel {channel})."

# ---- story threads (bot/slack/threads.py) -------------------------------------------------
THREAD_HELP = (
    "Mention me in a story's thread with one of:\n"
    "• `sources` — every report of this story, with links\n"
    "• `more` — the fuller summary, and each fact with the sentence it was read from\n"
    "• `mute` — no more updates of this story for {team} (`unmute` undoes it)\n"
    "• `not relevant` — tell us this story should not have reached {team}; it is muted too"
)
NOT_A_STORY_THREAD = (
    "I answer in the threads of my story cards: mention me there with `sources`, `more`, "
    "`mute` or `not relevant`. For anything else, try `/lookout help`."
)
STORY_MUTED = "{user} muted this story for {team}: no more updates will be posted here. " \
    "Mention me with `unmute` to undo."
STORY_ALREADY_MUTED = "This story is already muted for {team}. Mention me with `unmute` to undo."
STORY_UNMUTED = "{user} unmuted this story for {team}: later reports will be posted here again."
STORY_NOT_MUTED = "This story is not muted for {team}; nothing was changed."
STORY_NOT_RELEVANT = "Thanks {user}: noted that this story is not relevant for {team} (it helps " \
    "tune the watch). It is muted: no more updates will be posted here."
STORY_ALREADY_NOT_RELEVANT = "Already noted as not relevant for {team}, and muted."
STORY_GONE = "I no longer have this story's details, so nothing was changed."
THREAD_FAILED = "Sorry, that failed on our side; nothing was changed. Try again shortly."
