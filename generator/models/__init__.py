"""Typed content models: the one place where content rules live."""
