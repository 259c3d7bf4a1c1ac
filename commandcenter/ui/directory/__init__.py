"""The service-point directory."""
