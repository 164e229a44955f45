"""What runs once across replicas (scheduled jobs, digests, retention) and the operator's view."""
