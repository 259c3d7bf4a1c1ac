"""The feeds' own process: the message format on its pipes, the desktop's side and the child's side."""
