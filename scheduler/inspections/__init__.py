"""The inspection programme: the year's inspections, their days, seats and excluded employers."""
