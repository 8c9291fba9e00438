"""Second-factor logic: checking a code (replay), throttle and lock, recovery codes, pending logins."""
