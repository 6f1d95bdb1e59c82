#!/usr/bin/env python3
"""Measure `credence check` on the Emergent training material, through the real binary.

usage: scripts/check_emergent.py [--bin target/release/credence] [--eval ../shared/eval/emergent]
                                 [--work /tmp/check-emergent] [--folds 5] [--only stance|veracity]
                                 [--config FILE]

Headline stance: for each claim of stance/train.csv, every headline is written as a one-line article
(<articleId>.txt) into a folder of its own, and `credence check CLAIM FOLDER --format json` is run once per
claim. Each article's stance maps supports->for, refutes->against, observing->observing; an `unrelated`
headline takes its `leaning` (the stance its cues lean to). Predictions go to stance_score.py; the script
adds 95% intervals from 1,000 bootstrap resamples of claims (clustered: a claim's headlines move together).

Veracity: for each claim of veracity/train/claims.csv, `credence check CLAIM veracity/train/<claimId>/` is
run and its `support` is the score given to veracity_score.py. The verdict's three numbers of [check]
(prior_for, prior_against, refute_weight) were set on these claims, so they are also chosen again inside a
claim-grouped K-fold cross-validation (grid search on the training folds from each claim's summed weights
for and against, scored on the held-out fold): the out-of-fold AUC and accuracy are the honest figures.

Only the standard library is used. Output is deterministic (fixed seeds, sorted claims).
"""
import argparse
import csv
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys


CONFIG = []


def run_check(binary, claim, folder):
    out = subprocess.run([binary, "check", "-q", "--format", "json", *CONFIG, "--", claim, folder],
                         capture_output=True, check=False)
    if out.returncode not in (0, 6):
        sys.exit(f"credence check failed ({out.returncode}) on {folder}:\n{out.stderr.decode(errors='replace')}")
    return json.loads(out.stdout)


def fold_of(claim_id, k):
    return int(hashlib.sha256(claim_id.encode()).hexdigest(), 16) % k


def bootstrap(groups, stat, n=1000, seed=0):
    """95% interval of stat over resamples of the groups (each a list of (gold, pred))."""
    rng = random.Random(seed)
    keys = sorted(groups)
    vals = []
    for _ in range(n):
        rows = []
        for _ in keys:
            rows.extend(groups[rng.choice(keys)])
        vals.append(stat(rows))
    vals.sort()
    return vals[int(0.025 * n)], vals[int(0.975 * n) - 1]


def accuracy(rows):
    return sum(g == p for g, p in rows) / max(1, len(rows))


def macro_f1(rows):
    f1s = []
    for lab in ("for", "against", "observing"):
        tp = sum(1 for g, p in rows if g == lab and p == lab)
        fp = sum(1 for g, p in rows if g != lab and p == lab)
        fn = sum(1 for g, p in rows if g == lab and p != lab)
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * pr * rc / (pr + rc) if pr + rc else 0.0)
    return sum(f1s) / 3


LABEL = {"supports": "for", "refutes": "against", "observing": "observing"}


def stance(args):
    gold_path = os.path.join(args.eval, "stance", "train.csv")
    rows = list(csv.DictReader(open(gold_path, encoding="utf-8")))
    by_claim = {}
    for r in rows:
        by_claim.setdefault(r["claimId"], []).append(r)
    base = os.path.join(args.work, "stance")
    shutil.rmtree(base, ignore_errors=True)
    pred = {}
    unrelated = 0
    for cid in sorted(by_claim):
        folder = os.path.join(base, cid)
        os.makedirs(folder)
        for r in by_claim[cid]:
            with open(os.path.join(folder, r["articleId"] + ".txt"), "w", encoding="utf-8") as f:
                f.write(r["articleHeadline"].strip() + "\n")
        report = run_check(args.bin, by_claim[cid][0]["claimHeadline"], folder)
        for a in report["articles"]:
            aid = os.path.splitext(os.path.basename(a["path"]))[0]
            s = a["stance"]
            if s == "unrelated":
                unrelated += 1
                s = a["leaning"] if a["leaning"] != "unrelated" else "supports"
            pred[aid] = LABEL[s]
    pred_path = os.path.join(args.work, "stance_pred.csv")
    with open(pred_path, "w", encoding="utf-8") as f:
        f.write("articleId,stance\n")
        for aid in sorted(pred):
            f.write(f"{aid},{pred[aid]}\n")
    missing = sum(1 for r in rows if r["articleId"] not in pred)
    print(f"stance: {len(rows)} headlines, {len(by_claim)} claims, {unrelated} unrelated (leaning used), "
          f"{missing} without a prediction; predictions in {pred_path}")
    score = subprocess.run([sys.executable, os.path.join(args.eval, "stance", "stance_score.py"), gold_path,
                            pred_path], capture_output=True, text=True, check=True)
    print(score.stdout.rstrip())
    groups = {cid: [(r["stance"], pred.get(r["articleId"])) for r in rs] for cid, rs in by_claim.items()}
    all_rows = [x for g in groups.values() for x in g]
    lo, hi = bootstrap(groups, accuracy)
    flo, fhi = bootstrap(groups, macro_f1)
    print(f"stance: accuracy {accuracy(all_rows):.3f} [95% CI {lo:.3f}, {hi:.3f}], "
          f"macro-F1 {macro_f1(all_rows):.3f} [95% CI {flo:.3f}, {fhi:.3f}] (claim-clustered bootstrap, 1,000)")


def auc(labels, scores):
    pos = [s for y, s in zip(labels, scores) if y]
    neg = [s for y, s in zip(labels, scores) if not y]
    if not pos or not neg:
        return 0.5
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def support(wf, wa, prior_for, prior_against, refute):
    a = prior_for + wf
    b = prior_against + refute * wa
    return a / (a + b)


def veracity(args):
    vdir = os.path.join(args.eval, "veracity", "train")
    gold_path = os.path.join(vdir, "claims.csv")
    claims = sorted(csv.DictReader(open(gold_path, encoding="utf-8")), key=lambda r: r["claimId"])
    out = []
    for c in claims:
        report = run_check(args.bin, c["claimHeadline"], os.path.join(vdir, c["claimId"]))
        out.append((c["claimId"], c["claimTruth"] == "true", report))
    pred_path = os.path.join(args.work, "veracity_pred.csv")
    with open(pred_path, "w", encoding="utf-8") as f:
        f.write("claimId,score\n")
        for cid, _, r in out:
            f.write(f"{cid},{r['support']:.4f}\n")
    verdicts = {}
    for _, y, r in out:
        verdicts.setdefault(r["verdict"], [0, 0])[0 if y else 1] += 1
    print(f"veracity: {len(out)} claims; verdicts (true, false): " +
          ", ".join(f"{v} {n[0]}/{n[1]}" for v, n in sorted(verdicts.items())))
    score = subprocess.run([sys.executable, os.path.join(args.eval, "veracity", "veracity_score.py"), gold_path,
                            pred_path], capture_output=True, text=True, check=True)
    print("veracity (shipped [check] numbers): " + score.stdout.strip().splitlines()[-1])
    # Claim-grouped cross-validation of the three numbers.
    labels = [y for _, y, _ in out]
    w = [(r["counts"]["weight_for"], r["counts"]["weight_against"]) for _, _, r in out]
    grid = [(pf, pa, rw) for pf in (0.5, 1.0, 2.0) for pa in (1.0, 2.0, 3.0, 4.0) for rw in (1.0, 2.0, 4.0, 6.0, 8.0)]
    k = args.folds
    oof = [0.0] * len(out)
    for f in range(k):
        train = [i for i, (cid, _, _) in enumerate(out) if fold_of(cid, k) != f]
        test = [i for i, (cid, _, _) in enumerate(out) if fold_of(cid, k) == f]
        best = None
        for g in grid:
            sc = [support(*w[i], *g) for i in train]
            y = [labels[i] for i in train]
            val = auc(y, sc) + sum((s >= 0.5) == t for s, t in zip(sc, y)) / len(y)
            if best is None or val > best[0]:
                best = (val, g)
        print(f"  fold {f}: chose prior_for, prior_against, refute_weight = {best[1]}")
        for i in test:
            oof[i] = support(*w[i], *best[1])
    best_all = max(grid, key=lambda g: (auc(labels, [support(*x, *g) for x in w]) +
                                       sum((support(*x, *g) >= 0.5) == y for x, y in zip(w, labels)) / len(labels)))
    sc = [support(*x, *best_all) for x in w]
    print(f"  the same selection on all {len(labels)} claims picks {best_all}: auc={auc(labels, sc):.4f} "
          f"accuracy={sum((s >= 0.5) == y for s, y in zip(sc, labels)) / len(labels):.4f} (in-sample)")
    acc = sum((s >= 0.5) == y for s, y in zip(oof, labels)) / len(labels)
    print(f"veracity: claim-grouped {k}-fold CV (the three numbers chosen per fold): auc={auc(labels, oof):.4f} "
          f"accuracy={acc:.4f}")


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--bin", default=os.path.join(here, "target", "release", "credence"))
    ap.add_argument("--eval", default=os.path.join(here, "..", "shared", "eval", "emergent"))
    ap.add_argument("--work", default="/tmp/check-emergent")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--only", choices=["stance", "veracity"])
    ap.add_argument("--config", help="a config file passed to every `credence check` run")
    args = ap.parse_args()
    if args.config:
        CONFIG.extend(["--config", args.config])
    os.makedirs(args.work, exist_ok=True)
    if args.only != "veracity":
        stance(args)
    if args.only != "stance":
        veracity(args)


if __name__ == "__main__":
    main()
