"""Counters shown in the test run's summary (see conftest.py)."""
from collections import Counter

MUTATIONS: Counter = Counter()
