"""Small clients that show how to use the servers' APIs."""
