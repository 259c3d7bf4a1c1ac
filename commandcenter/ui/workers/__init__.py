"""Work off the GUI thread: store reads and change events (BackgroundReader, StoreBridge), jobs with progress."""
