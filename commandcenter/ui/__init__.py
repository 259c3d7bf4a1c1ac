"""Qt desktop client: panels over the store (wall, map, statistics, supervision, alerts, meetings, health)."""
