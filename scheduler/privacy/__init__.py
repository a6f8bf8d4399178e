"""Personal data: the retention schedule, subject access, rectification and erasure."""
