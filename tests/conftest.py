import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # test helpers: mutate, stats, strategies


def pytest_terminal_summary(terminalreporter):
    from stats import CORPUS, MUTATIONS

    if CORPUS["lines"]:
        terminalreporter.write_line(
            "symproof student corpus: {files} files, {chains} chains, {lines} graded lines: "
            "{proved} proved, {numeric} numeric, {refuted} refuted, {unknown} unknown, {error} error; "
            "{mm} differ from their expectation, {fa} false accepts".format(
                files=CORPUS["files"], chains=CORPUS["chains"], lines=CORPUS["lines"], proved=CORPUS["proved"],
                numeric=CORPUS["numeric"], refuted=CORPUS["refuted"], unknown=CORPUS["unknown"],
                error=CORPUS["error"], mm=CORPUS["mismatches"], fa=CORPUS["false accepts"],
            )
        )

    if MUTATIONS["total"]:
        terminalreporter.write_line(
            "symproof mutation tests: {total} mutants, {refuted} refuted, {equivalent} equivalent "
            "(proved equal to the written line), {weaker} bounds still true, {never} never real together (unknown), {fa} false accepts, {nr} neither".format(
                total=MUTATIONS["total"], refuted=MUTATIONS["refuted"], equivalent=MUTATIONS["equivalent"],
                weaker=MUTATIONS["weaker, still true"],
                never=MUTATIONS["never real"],
                fa=MUTATIONS["false accepts"], nr=MUTATIONS["not refuted"],
            )
        )
