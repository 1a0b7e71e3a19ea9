"""Thin channel adapters: Telegram, LINE and the terminal translate platform messages to neutral ones."""
