"""Counters shown in the test run's summary (see conftest.py)."""
from collections import Counter

MUTATIONS: Counter = Counter()

# the student corpus (tests/test_grade_corpus.py): chains, lines, expected and actual statuses
CORPUS: Counter = Counter()
