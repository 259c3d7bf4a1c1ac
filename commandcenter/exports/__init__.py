"""What the store holds as rows for people: JSON and CSV exports, XLSX and CSV tables."""
