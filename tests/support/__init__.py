"""Helpers shared by the tests: databases, stand-in servers, transcripts."""
