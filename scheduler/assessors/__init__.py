"""Coordinators' view of the assessor pool: directory, profiles, approvals, CSV export and import."""
