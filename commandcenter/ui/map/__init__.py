"""The map panel and its point card, over the map page (commandcenter.map)."""
