"""Feed adapters that poll the data center's interfaces into the store (no Qt)."""
