"""Case statistics: the statistics panel and its charts, the overview's KPI tiles, the daily report."""
