"""Telegram's platform limits, named once: every Telegram module takes its numbers from here and nowhere else."""

from __future__ import annotations

from conversations.messages import TOKEN_BUDGET_BYTES

MAX_MESSAGE_CHARS = 4096  # text of one message, counted in UTF-16 code units as Telegram counts them
MAX_CAPTION_CHARS = 1024  # caption of a document or photo
# callback_data of an inline button: 64 bytes (about 21 Thai characters), the engine's token budget itself
MAX_CALLBACK_DATA_BYTES = TOKEN_BUDGET_BYTES
MAX_CALLBACK_ANSWER_CHARS = 200  # text of answerCallbackQuery
MAX_COMMAND_DESCRIPTION_CHARS = 256  # description of a command in setMyCommands
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # getFile refuses bigger files on the public Bot API
MESSAGES_PER_SECOND = 30  # all chats together
MESSAGES_PER_SECOND_PER_CHAT = 1  # one chat; short bursts are tolerated, a sustained stream gets 429
MAX_UPDATES_PER_POLL = 100  # getUpdates limit
WEBHOOK_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
