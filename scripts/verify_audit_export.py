#!/usr/bin/env python3
"""Verify taizhang's hash-chained audit trail without trusting the server (docs/audit.md).

  verify_audit_export.py [URL] [--dump trail.json] [--checkpoint SEQ:HASH]
  verify_audit_export.py --file trail.json [--checkpoint SEQ:HASH]

Prints "ok: N events, head seq S hash H" (exit 0) or "broken at seq K: reason" (exit 1);
exit 2 when the trail cannot be read. Python 3.8+, standard library only.
"""
import argparse, decimal, hashlib, json, os, sys, urllib.request

GENESIS = "0" * 64
PAGE = """query($after: String) { auditEvents(orderBy: SEQ_ASC, first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } edges { node { seq occurredAt actor { id displayName }
  action entityType entityId before after reason requestId prevHash hash } } } }"""

def es_number(x):
    """A JSON number as ECMAScript's Number::toString writes it (RFC 8785 section 3.2.2.3)."""
    if isinstance(x, int):
        return str(x)  # the server writes 64-bit integers exactly
    if x != x or x in (float("inf"), float("-inf")):
        raise ValueError("NaN and Infinity are not JSON")
    if x == 0:
        return "0"
    sign, digits, exp = decimal.Decimal(repr(x)).as_tuple()  # repr: shortest round-trip digits
    d = "".join(map(str, digits)).rstrip("0")
    k, n = len(d), exp + len(digits)  # |x| = 0.d * 10^n
    if k <= n <= 21:
        s = d + "0" * (n - k)
    elif 0 < n <= 21:
        s = d[:n] + "." + d[n:]
    elif -6 < n <= 0:
        s = "0." + "0" * -n + d
    else:
        s = d[0] + ("." + d[1:] if k > 1 else "") + "e" + ("+" if n > 0 else "-") + str(abs(n - 1))
    return ("-" if sign else "") + s

def jcs(v):
    """RFC 8785 (JCS) text of a parsed JSON value."""
    if v is None or isinstance(v, bool):
        return "null" if v is None else ("true" if v else "false")
    if isinstance(v, (int, float)):
        return es_number(v)
    if isinstance(v, str):  # escapes exactly " \ \b \f \n \r \t and other C0 as \u00xx, like JSON.stringify
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ",".join(map(jcs, v)) + "]"
    keys = sorted(v, key=lambda k: k.encode("utf-16-be"))  # by UTF-16 code units
    return "{" + ",".join(jcs(k) + ":" + jcs(v[k]) for k in keys) + "}"

def chain_hash(prev_hex, e):
    """SHA-256(prev hash bytes || JCS of the event without its hash); API names map 1:1."""
    obj = {"seq": e["seq"], "occurredAt": e["occurredAt"], "actorId": e["actor"]["id"],
           "actorName": e["actor"]["displayName"], "action": e["action"], "entityType": e["entityType"],
           "entityId": e["entityId"], "before": e["before"], "after": e["after"],
           "reason": e["reason"], "requestId": e["requestId"], "prevHash": e["prevHash"]}
    return hashlib.sha256(bytes.fromhex(prev_hex) + jcs(obj).encode("utf-8")).hexdigest()

def post(url, query, variables=None):
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    headers = {"Content-Type": "application/json"}
    token = os.environ.get("TAIZHANG_TOKEN")  # the whole trail needs a whole-tree account
    if token:
        headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(url, body, headers)
    with urllib.request.urlopen(req) as resp:
        answer = json.load(resp)
    if answer.get("errors"):
        raise RuntimeError(answer["errors"][0].get("message"))
    return answer["data"]

def fetch(url):
    head = post(url, "{ auditHead { seq hash } }")["auditHead"]  # first: the events must reach it
    events, after = [], None
    while True:  # the whole trail, past the head too: a row there is a break
        page = post(url, PAGE, {"after": after})["auditEvents"]
        events += [edge["node"] for edge in page["edges"]]
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"] or not events:
            break
    # Events appended while paging are at or below the head read now; one beyond it was put
    # there without advancing the head.
    now = post(url, "{ auditHead { seq hash } }")["auditHead"]
    beyond = [e for e in events if int(e["seq"]) > int(now["seq"])]
    kept = [e for e in events if int(e["seq"]) <= int(head["seq"])]
    return head, kept + beyond[:1]

def verify(head, events, checkpoint):
    prev = GENESIS
    for seq, e in enumerate(events, start=1):
        if e["seq"] != seq:
            return seq, "event missing (the next event has seq %s)" % e["seq"]
        if e["prevHash"] != prev:
            return seq, "prevHash %s is not the previous event's hash" % e["prevHash"]
        if chain_hash(prev, e) != e["hash"]:
            return seq, "content does not match its hash %s" % e["hash"]
        if checkpoint and checkpoint[0] == seq and checkpoint[1] != e["hash"]:
            return seq, "hash differs from the checkpoint %s" % checkpoint[1]
        prev = e["hash"]
    last = len(events)
    if head["seq"] > last:
        return last + 1, "missing: the head is at seq %s" % head["seq"]
    if head["seq"] < last:
        return head["seq"] + 1, "event after the head (seq %s)" % head["seq"]
    if head["hash"] != prev:
        return max(last, 1), "the head's hash %s is not the last event's" % head["hash"]
    if checkpoint and checkpoint[0] > last:
        return checkpoint[0], "the checkpoint is beyond the head"
    return None

def checkpoint_arg(text):
    seq, _, digest = text.partition(":")
    return int(seq), digest.lower()

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url", nargs="?", default="http://127.0.0.1:8080/graphql")
    ap.add_argument("--file", help="verify this export ({head, events}) instead of a server")
    ap.add_argument("--dump", metavar="FILE", help="write the fetched head and events to FILE")
    ap.add_argument("--checkpoint", metavar="SEQ:HASH", type=checkpoint_arg, help="a printed auditHead")
    args = ap.parse_args()
    try:
        if args.file:
            with open(args.file, encoding="utf-8") as f:
                data = json.load(f)
            head, events = data["head"], data["events"]
        else:
            head, events = fetch(args.url)
    except (OSError, ValueError, KeyError, RuntimeError) as e:
        print("cannot read the trail: %s" % e, file=sys.stderr)
        return 2
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            json.dump({"head": head, "events": events}, f, ensure_ascii=False, indent=1)
    broken = verify(head, events, args.checkpoint)
    if broken:
        print("broken at seq %s: %s" % broken)
        return 1
    print("ok: %d events, head seq %s hash %s" % (len(events), head["seq"], head["hash"]))
    return 0

if __name__ == "__main__":
    sys.exit(main())
