"""The client's own workings, for its operators: feed health and the audit log."""
