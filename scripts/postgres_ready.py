"""Exit 0 when the PostgreSQL server at the given URL accepts a connection."""

import sys

import psycopg

try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception:
    sys.exit(1)
