"""An associate assessor's own pages: deployments, availability, profile and calendar feed."""
