"""The service side of a conversation: the turn's transaction (``turns``), what it reads and writes (the stores,
loaders, effects), the inbox and locks, and the chat commands that act on the database.
"""
