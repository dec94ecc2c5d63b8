"""The reference: the same scoring as bench/scoring.yaml, as one DuckDB SQL query.

Distinct accounts per integration (a prospect counts 0.5), ARR summed once per account,
banded points, the difficulty map, weighted sum 40/40/20, sorted by score then name.
Prints CSV: integration,score.
"""

import sys

import duckdb

QUERY = """
WITH rows AS (
    SELECT * FROM read_csv(?, header = true, all_varchar = true)
),
requesters AS (
    SELECT lower(trim(integration)) AS ikey,
           min(trim(integration)) AS integration,
           lower(trim(account)) AS akey,
           max(TRY_CAST(account_arr AS DOUBLE)) AS arr,
           max(lower(trim(stage))) AS stage
    FROM rows
    WHERE coalesce(trim(account), '') <> ''
    GROUP BY 1, 3
),
attributes AS (
    SELECT lower(trim(integration)) AS ikey,
           min(CASE trim(difficulty) WHEN '1' THEN 2 WHEN '2' THEN 2 WHEN '3' THEN 1
                                     WHEN '4' THEN 0 WHEN '5' THEN 0 END) AS difficulty_points
    FROM rows
    WHERE coalesce(trim(difficulty), '') <> ''
    GROUP BY 1
),
totals AS (
    SELECT ikey,
           any_value(integration) AS integration,
           sum(CASE WHEN stage = 'prospect' THEN 0.5 ELSE 1 END) AS demand,
           sum(arr) AS arr
    FROM requesters
    GROUP BY 1
)
SELECT t.integration,
       round(100 * (40 * (CASE WHEN demand >= 10 THEN 2 WHEN demand >= 3 THEN 1 ELSE 0 END)
                  + 40 * (CASE WHEN arr >= 500000 THEN 2 WHEN arr >= 100000 THEN 1 ELSE 0 END)
                  + 20 * coalesce(a.difficulty_points, 0)) / 200.0, 6) AS score
FROM totals t LEFT JOIN attributes a USING (ikey)
ORDER BY score DESC, lower(t.integration)
"""

result = duckdb.execute(QUERY, [sys.argv[1]]).fetchall()
out = ["integration,score"]
out += [f"{name},{score}" for name, score in result]
sys.stdout.write("\n".join(out) + "\n")
