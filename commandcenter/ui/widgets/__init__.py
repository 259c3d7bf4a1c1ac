"""Widgets and helpers the panels share: the panel base, tables, text, progress, PDF, language, colours."""
