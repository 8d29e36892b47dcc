"""The game's screens; each is imported when it is first shown."""
