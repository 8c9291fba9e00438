"""``python -m backend.benchmarks``: see login_bench.py."""

import sys

from .login_bench import main

if __name__ == "__main__":
    sys.exit(main())
