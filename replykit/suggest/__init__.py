"""Suggesting approved replies: classification, escalation signals, ranking."""
