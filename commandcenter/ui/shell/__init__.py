"""The window and what surrounds the panels: menus, status bar, workspaces, wall mode, dialogs of the application, start-up."""
