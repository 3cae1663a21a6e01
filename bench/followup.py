"""Follow-up's targets in one run (issue 15); prints JSON.

    .venv/bin/python bench/followup.py                      # SQLite, fresh files
    .venv/bin/python bench/followup.py --database-url postgres://postgres@127.0.0.1:5432/NAME

Runs, each in its own process over freshly loaded bundled data:

* ``followup_scorecard.py`` — the public scorecard page for the US 3rd cycle (347
  recommendations, all published): server time, target ≤ 100 ms;
* ``followup_evidence.py --methods fused`` — evidence suggestions for all 347 computed and
  stored (cold: the model loaded and every sentence encoded; warm), target ≤ 30 s on 2 cores;
  and the ranking's quality on the hand-labelled sample (strongly relevant paragraphs all in
  the top 5 for ≥ 90 % of recommendations; MRR);
* ``followup_cluster.py`` — a cluster of 12 assessed in one request.

Each script's full report is under its name; ``summary`` has the figures against the targets.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _run(script: str, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, str(HERE / script), *args],
        cwd=HERE,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]}
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    db = ["--database-url", args.database_url] if args.database_url else []
    scorecard = _run("followup_scorecard.py", *db)
    evidence = _run("followup_evidence.py", "--methods", "fused", *db)
    cluster = _run("followup_cluster.py", *db)
    summary: dict[str, object] = {}
    for mode in ("built", "kept"):
        page = scorecard.get("results", {}).get(mode, {}).get("page")
        if page:
            summary[f"scorecard_page_ms_{mode}"] = page.get("median_ms")
            summary[f"scorecard_page_p95_ms_{mode}"] = page.get("p95_ms")
    store = evidence.get("store", {})
    if store:
        summary["evidence_store_cold_s"] = store.get("cold", {}).get("seconds")
        summary["evidence_store_warm_s"] = store.get("warm", {}).get("seconds")
        summary["evidence_rows"] = store.get("rows")
    fused = evidence.get("methods", {}).get("fused") or evidence.get("fused")
    if isinstance(fused, dict):
        summary["evidence_all_in_top5"] = fused.get("all_in_top5")
        summary["evidence_mrr"] = fused.get("mrr")
    summary["cluster_of_12_ms"] = cluster.get("median_ms")
    summary["cluster_of_12_in_one_request"] = cluster.get("met")
    print(
        json.dumps(
            {
                "summary": summary,
                "targets": {
                    "scorecard_page_ms": 100,
                    "evidence_store_s": 30,
                    "evidence_all_in_top5": 0.9,
                    "cluster_requests": 1,
                },
                "scorecard": scorecard,
                "evidence": evidence,
                "cluster": cluster,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
