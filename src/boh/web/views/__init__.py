"""Pages of the shell: signing in, the dashboard and the organization's management pages."""
