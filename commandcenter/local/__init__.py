"""This machine: the operating system's differences, owner-only files, the SK's keeping, log files, scrubbing secrets, the crash report's text."""
