"""Alerts: the list, an alert's detail and handling, the banner and its sound."""
