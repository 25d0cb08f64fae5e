"""Dialogs of the terminal UI, one per module."""
