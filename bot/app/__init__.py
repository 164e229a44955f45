"""Processes: wiring the services, serving (run, worker, web), the HTTP listener, the scheduler, the demo."""
