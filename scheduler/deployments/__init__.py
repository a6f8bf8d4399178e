"""Deployments: what can happen to one (scheduler.deployments.status) and refilling a seat someone
declined (scheduler.deployments.refill)."""
