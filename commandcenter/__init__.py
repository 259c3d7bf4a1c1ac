"""Command-center client for a city justice bureau's public legal service network."""

__version__ = "0.1.0"
