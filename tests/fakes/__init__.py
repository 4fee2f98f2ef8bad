"""Protocol-faithful fakes of external services, for tests and demos without a network."""
