"""Remote supervision: plans, roll calls, inspections over video and their report."""
