#!/usr/bin/env python3
"""checkDeclaration latency: a 60-indicator form checked over and over, as a form checks as the
user types. Usage: bench/check_declaration.py BASE_URL USERNAME PASSWORD UNIT_ID [CONNECTIONS]
(keep-alive connections, one process each, so that one client's wait for Python's interpreter
lock is not counted as the server's latency; prints requests, p50, p99 in ms).
bench/check_declaration.py --body UNIT_ID prints the request's body only (for wrk)."""
import http.client
import json
import sys
import multiprocessing
import time
from urllib.parse import urlparse

PRINT_BODY = sys.argv[1] == "--body"
if PRINT_BODY:
    unit = sys.argv[2]
else:
    base, username, password, unit = sys.argv[1:5]
    connections = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    url = urlparse(base)

LEVELS = [("OUTPUT", "QUANTITY", "完成率", ">=95%"), ("OUTPUT", "QUALITY", "合格率", "=100%"),
          ("OUTPUT", "TIMELINESS", "及时率", ">=90%"), ("OUTPUT", "COST", "成本", "<=15万元"),
          ("BENEFIT", "SOCIAL_BENEFIT", "社会效益", "提高"), ("SATISFACTION", "SERVICE_SATISFACTION", "满意度", ">=90%")]
indicators = [{"level1": l1, "level2": l2, "name": f"{name}{i // len(LEVELS) + 1}", "target": t}
              for i, (l1, l2, name, t) in ((i, LEVELS[i % len(LEVELS)]) for i in range(60))]
form = {
    "fiscalYear": 2023, "implementingUnitId": unit, "name": "六十个指标的项目", "category": "RECURRING",
    "plannedStart": "2023-01-01", "plannedEnd": "2023-12-31",
    "sections": {"overview": "概述" * 50, "budgetArrangement": "年度预算 15 万元。"},
    "overallGoal": "目标" * 40, "annualGoal": "年度目标" * 20,
    "funds": {"total": "150000.00", "fiscal": "150000.00", "other": "0.00", "annualRequest": "150000.00",
              "currentYearAppropriation": "150000.00", "carryover": "0.00", "annualOther": "0.00"},
    "fundItems": [{"name": "人员经费", "amount": "100000.00"}, {"name": "业务经费", "amount": "50000.00"}],
    "indicators": indicators,
}
QUERY = ("query Check($input: CreateProjectInput!) { checkDeclaration(input: $input) "
         "{ userErrors { field code } findings { code field severity message } } }")


def post(conn, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request("POST", "/graphql", body=body, headers=headers)
    return json.loads(conn.getresponse().read())


if PRINT_BODY:
    print(json.dumps({"query": QUERY, "variables": {"input": form}}))
    sys.exit(0)
conn = http.client.HTTPConnection(url.hostname, url.port)
login = post(conn, json.dumps({"query": "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
                               "variables": {"u": username, "p": password}}))
token = login["data"]["login"]["token"]
body = json.dumps({"query": QUERY, "variables": {"input": form}})
first = post(conn, body, token)
assert "errors" not in first, first
assert first["data"]["checkDeclaration"]["userErrors"] == [], first

PER = 2000


def worker(_):
    c = http.client.HTTPConnection(url.hostname, url.port)
    mine = []
    for _ in range(PER):
        started = time.perf_counter()
        r = post(c, body, token)
        mine.append((time.perf_counter() - started) * 1000)
        assert "errors" not in r
    return mine


if __name__ == "__main__":
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(connections) as pool:
        latencies = [ms for mine in pool.map(worker, range(connections)) for ms in mine]
    elapsed = time.perf_counter() - started
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
    print(f"{connections} connections: {len(latencies)} requests in {elapsed:.1f} s ({len(latencies) / elapsed:.0f}/s), "
          f"p50 {pick(0.5):.2f} ms, p99 {pick(0.99):.2f} ms")
