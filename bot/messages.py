"""Words users read in Slack, in one place."""

HELP_HEAD = "*Lookout* — conflict and security news for this channel's team. Sub-commands:"
HELP_FOOT = (
    "Answers are only visible to you; a search result's *Share* button posts it to the "
    "channel. Watch and mute changes are open to members of the team's channel and are "
    "recorded (`/lookout watch history`). Add `team:<name>` to pick a team explicitly."
)
UNKNOWN_COMMAND = "I don't know `{word}`. Try `/lookout help`."
TOO_LONG = "That command is {length} characters long; the limit is {limit}. Nothing was changed."
COMMAND_FAILED = "Sorry, `/lookout {name}` failed on our side; nothing was changed. Try again shortly."

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
STORY_MUTED = (
    "{user} muted this story for {team}: no more updates will be posted here. "
    "Mention me with `unmute` to undo."
)
STORY_ALREADY_MUTED = "This story is already muted for {team}. Mention me with `unmute` to undo."
STORY_UNMUTED = "{user} unmuted this story for {team}: later reports will be posted here again."
STORY_NOT_MUTED = "This story is not muted for {team}; nothing was changed."
STORY_NOT_RELEVANT = (
    "Thanks {user}: noted that this story is not relevant for {team} (it helps "
    "tune the watch). It is muted: no more updates will be posted here."
)
STORY_ALREADY_NOT_RELEVANT = "Already noted as not relevant for {team}, and muted."
THREAD_STORY_GONE = "I no longer have this story's details, so nothing was changed."
THREAD_FAILED = "Sorry, that failed on our side; nothing was changed. Try again shortly."
NO_TEAM = (
    "No Lookout team posts in this channel ({channel}). Run the command in a team's channel, "
    "add `team:<name>`, or add a team in config/teams.yaml."
)
NO_SUCH_TEAM = "There is no team `{name}`. Teams: {names}."
SEVERAL_TEAMS = "Several teams use this channel ({names}); add e.g. `team:{first}` to say which."
NOT_ALLOWED = (
    "Only members of {channel} (or Lookout admins) can change {team}'s watch or mutes. Nothing was changed."
)
USAGE = "Usage: `/lookout {usage}` — e.g. `/lookout {example}`."

SEARCH_NONE = "No stories in the last {since} match {what}. Try fewer words or `since 30d`."
SEARCH_HEAD = "*{total} stor{plural}* in the last {since} matching {what} — {first}–{last}:"
SHARED_BY = "Shared by <@{user}> from a Lookout search"
STORY_GONE = "That story is no longer in the store."

WHERE_UNKNOWN = "I don't know a place called `{name}`.{hint}"
WHO_UNKNOWN = "I don't know a group called `{name}`.{hint}"
NO_RECENT = "No stories in the last {days} days."

HOME_NO_TEAMS = (
    "You are not in any Lookout team's channel yet. Join one, or ask an admin to add "
    "your channel in config/teams.yaml."
)
SHORTCUT_NOTHING = "I found no places or armed groups in that message."
SHORTCUT_HEAD = "Add to {team}'s watch:"
