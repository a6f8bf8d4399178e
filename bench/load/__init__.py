"""Load test of the web application at national scale (see bench/LOAD.md)."""
