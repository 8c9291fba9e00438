"""The HTML forms: login, signup, the two-factor step and disable page, and what every page shares."""
