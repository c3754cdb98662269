import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # test helpers: mutate, stats, strategies


def pytest_terminal_summary(terminalreporter):
    from stats import MUTATIONS

    if MUTATIONS["total"]:
        terminalreporter.write_line(
            "symproof mutation tests: {total} mutants, {refuted} refuted, {equivalent} equivalent "
            "(proved equal to the written line), {weaker} weaker bounds still true, {fa} false accepts, {nr} neither".format(
                total=MUTATIONS["total"], refuted=MUTATIONS["refuted"], equivalent=MUTATIONS["equivalent"],
                weaker=MUTATIONS["weaker, still true"],
                fa=MUTATIONS["false accepts"], nr=MUTATIONS["not refuted"],
            )
        )
