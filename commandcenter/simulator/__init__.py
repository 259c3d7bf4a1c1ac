"""The simulated local data center: the embedded default and the test peer."""
